-- An install (or a new one after an uninstall or a disconnection): the account's fresh
-- tokens, encrypted by the app, and the scopes granted (a JSON array); the account is
-- connected again.
drop function if exists public.app_install_account;
create function public.app_install_account(
    p_portal_id bigint, p_access_token_enc text, p_refresh_token_enc text,
    p_access_expires_at timestamptz, p_scopes jsonb
)
returns void
language sql
as $$
    insert into public.hubspot_accounts as a (
        portal_id, access_token_enc, refresh_token_enc, access_expires_at, scopes)
    values (p_portal_id, p_access_token_enc, p_refresh_token_enc, p_access_expires_at,
        array(select jsonb_array_elements_text(coalesce(p_scopes, '[]'::jsonb))))
    on conflict (portal_id) do update set
        status = 'connected', status_reason = null,
        access_token_enc = excluded.access_token_enc,
        refresh_token_enc = excluded.refresh_token_enc,
        access_expires_at = excluded.access_expires_at, scopes = excluded.scopes,
        installed_at = case when a.status = 'uninstalled' then now() else a.installed_at end,
        updated_at = now(), uninstalled_at = null, purge_after = null
$$;

revoke execute on function public.app_install_account from public, anon, authenticated;
grant execute on function public.app_install_account to service_role;
