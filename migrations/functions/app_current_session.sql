-- App-level session metadata (public.sessions) for a user: the newest unexpired row,
-- created on first use, without its account (the service's own); null for an unknown user.
drop function if exists public.app_current_session;
create function public.app_current_session(p_user uuid)
returns jsonb
language plpgsql
as $$
declare
    v_session public.sessions;
begin
    if not exists (select 1 from auth.users where id = p_user) then
        return null;
    end if;
    select * into v_session from public.sessions
    where user_id = p_user and (expires_at is null or expires_at > now())
    order by created_at desc limit 1;
    if not found then
        insert into public.sessions (user_id, expires_at)
        values (p_user, now() + interval '30 days')
        returning * into v_session;
    end if;
    return to_jsonb(v_session) - 'hubspot_portal_id';
end
$$;

revoke execute on function public.app_current_session from public, anon, authenticated;
grant execute on function public.app_current_session to service_role;
