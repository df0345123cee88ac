-- The accounts whose rows are due to be purged: uninstalled, past their grace period
-- (purge_after) and not purged since they were uninstalled.
drop function if exists public.app_accounts_to_purge;
create function public.app_accounts_to_purge()
returns table (portal_id bigint)
language sql stable
as $$
    select a.portal_id from public.hubspot_accounts a
    where a.status = 'uninstalled' and a.purge_after <= now()
      and (a.purged_at is null or a.purged_at < a.uninstalled_at)
    order by a.portal_id
$$;

revoke execute on function public.app_accounts_to_purge from public, anon, authenticated;
grant execute on function public.app_accounts_to_purge to service_role;
