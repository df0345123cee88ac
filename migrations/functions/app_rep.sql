-- Whether the user exists, and the HubSpot account and owner they were mapped to by hand, if
-- any (a mapping not adopted yet names no account and maps nobody: app_adopt_rows).
drop function if exists public.app_rep;
create function public.app_rep(p_user uuid)
returns table (known boolean, hubspot_portal_id bigint, hubspot_owner_id text)
language sql stable
as $$
    select exists (select 1 from auth.users u where u.id = p_user), o.hubspot_portal_id,
        o.hubspot_owner_id
    from (select 1) as one
    left join public.rep_owners o on o.user_id = p_user and o.hubspot_portal_id is not null
$$;

revoke execute on function public.app_rep from public, anon, authenticated;
grant execute on function public.app_rep to service_role;
