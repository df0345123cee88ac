-- Merge keys into the session's metadata; a key set to null is removed. outcome: updated |
-- user_not_found | too_large (the merged metadata would pass the size limit: nothing changes).
drop function if exists public.app_update_session;
create function public.app_update_session(p_user uuid, p_metadata jsonb)
returns table (session jsonb, outcome text)
language plpgsql
as $$
declare
    v_current jsonb := public.app_current_session(p_user);
    v_session jsonb;
begin
    if v_current is null then
        return query select null::jsonb, 'user_not_found'::text;
        return;
    end if;
    begin
        update public.sessions s
        set metadata = jsonb_strip_nulls(s.metadata || coalesce(p_metadata, '{}'::jsonb))
        where s.id = (v_current ->> 'id')::uuid
        returning to_jsonb(s) - 'hubspot_portal_id' into v_session;
    exception when check_violation then
        return query select v_current, 'too_large'::text;
        return;
    end;
    return query select v_session, 'updated'::text;
end
$$;

revoke execute on function public.app_update_session from public, anon, authenticated;
grant execute on function public.app_update_session to service_role;
