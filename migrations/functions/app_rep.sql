-- Whether the user exists, and the HubSpot owner they were mapped to by hand, if any.
drop function if exists public.app_rep;
create function public.app_rep(p_user uuid)
returns table (known boolean, hubspot_owner_id text)
language sql stable
as $$
    select exists (select 1 from auth.users u where u.id = p_user),
        (select o.hubspot_owner_id from public.rep_owners o where o.user_id = p_user)
$$;

revoke execute on function public.app_rep from public, anon, authenticated;
grant execute on function public.app_rep to service_role;
