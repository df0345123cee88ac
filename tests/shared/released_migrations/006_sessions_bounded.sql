-- 006: session metadata is bounded, and a verified token whose user does not exist (deleted
-- after the token was issued, or never there) is told so instead of failing on a foreign key.

-- 16 KB of app-level metadata (UI preferences and the like) per session, however it is
-- written: through the API, or by a rep through Supabase directly (RLS lets them).
alter table public.sessions
    add constraint sessions_metadata_size check (octet_length(metadata::text) <= 16384);

-- Whether the user exists, and the HubSpot owner they were mapped to by hand, if any.
create function public.app_rep(p_user uuid)
returns table (known boolean, hubspot_owner_id text)
language sql stable
as $$
    select exists (select 1 from auth.users u where u.id = p_user),
        (select o.hubspot_owner_id from public.rep_owners o where o.user_id = p_user)
$$;
drop function public.app_rep_owner(uuid);

-- The newest unexpired session of the user, created on first use; null for an unknown user.
create or replace function public.app_current_session(p_user uuid)
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
    return to_jsonb(v_session);
end
$$;

-- Merge keys into the session's metadata; a key set to null is removed. outcome: updated |
-- user_not_found | too_large (the merged metadata would pass the size limit: nothing changes).
drop function public.app_update_session(uuid, jsonb);
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
        returning to_jsonb(s) into v_session;
    exception when check_violation then
        return query select v_current, 'too_large'::text;
        return;
    end;
    return query select v_session, 'updated'::text;
end
$$;

do $$
declare
    fn text;
begin
    foreach fn in array array[
        'public.app_rep(uuid)',
        'public.app_current_session(uuid)',
        'public.app_update_session(uuid, jsonb)'
    ] loop
        execute format('revoke execute on function %s from public, anon, authenticated', fn);
        execute format('grant execute on function %s to service_role', fn);
    end loop;
end
$$;
