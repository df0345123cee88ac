-- The accounts whose webhooks journal is read: connected ones, and disconnected ones, whose
-- journal may still say the app was uninstalled (a refused refresh cannot tell).
drop function if exists public.app_journal_accounts;
create function public.app_journal_accounts()
returns table (portal_id bigint)
language sql stable
as $$
    select a.portal_id from public.hubspot_accounts a
    where a.status in ('connected', 'disconnected')
    order by a.portal_id
$$;

revoke execute on function public.app_journal_accounts from public, anon, authenticated;
grant execute on function public.app_journal_accounts to service_role;
