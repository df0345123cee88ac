-- The accounts the app acts for now (OAuth installs connected): where a rep's email may name
-- an owner.
drop function if exists public.app_connected_accounts;
create function public.app_connected_accounts()
returns table (portal_id bigint)
language sql stable
as $$
    select a.portal_id from public.hubspot_accounts a
    where a.status = 'connected'
    order by a.portal_id
$$;

revoke execute on function public.app_connected_accounts from public, anon, authenticated;
grant execute on function public.app_connected_accounts to service_role;
