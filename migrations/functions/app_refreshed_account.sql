-- A refresh's new tokens; only a connected account takes them (an uninstall or a
-- disconnection that landed meanwhile wins). True when they were stored.
drop function if exists public.app_refreshed_account;
create function public.app_refreshed_account(
    p_portal_id bigint, p_access_token_enc text, p_refresh_token_enc text,
    p_access_expires_at timestamptz
)
returns boolean
language sql
as $$
    with stored as (
        update public.hubspot_accounts set access_token_enc = p_access_token_enc,
            refresh_token_enc = p_refresh_token_enc, access_expires_at = p_access_expires_at,
            updated_at = now()
        where portal_id = p_portal_id and status = 'connected'
        returning 1
    )
    select exists (select 1 from stored)
$$;

revoke execute on function public.app_refreshed_account from public, anon, authenticated;
grant execute on function public.app_refreshed_account to service_role;
