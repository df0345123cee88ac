-- An account the app can no longer act for: disconnected (its refresh token was refused)
-- or uninstalled (its stored text purged after p_purge_after). Its tokens are deleted
-- either way; an uninstalled account stays uninstalled until it is installed again. True
-- when the account was connected until now (so its loss is reported once).
drop function if exists public.app_disconnect_account;
create function public.app_disconnect_account(
    p_portal_id bigint, p_status text, p_reason text, p_purge_after timestamptz default null
)
returns boolean
language sql
as $$
    with before as (
        select a.status from public.hubspot_accounts a
        where a.portal_id = p_portal_id for update
    ), changed as (
        update public.hubspot_accounts a set status = p_status, status_reason = p_reason,
            access_token_enc = null, refresh_token_enc = null, access_expires_at = null,
            uninstalled_at = case when p_status = 'uninstalled'
                then coalesce(a.uninstalled_at, now()) end,
            purge_after = case when p_status = 'uninstalled'
                then coalesce(a.purge_after, p_purge_after) end,
            updated_at = now()
        where a.portal_id = p_portal_id
          and not (a.status = 'uninstalled' and p_status = 'disconnected')
        returning 1
    )
    select coalesce((select status = 'connected' from before), false)
        and exists (select 1 from changed)
$$;

revoke execute on function public.app_disconnect_account from public, anon, authenticated;
grant execute on function public.app_disconnect_account to service_role;
