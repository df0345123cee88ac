-- One account as the token keeper reads it: status and encrypted tokens.
drop function if exists public.app_account;
create function public.app_account(p_portal_id bigint)
returns table (
    portal_id bigint, status text, status_reason text, access_token_enc text,
    refresh_token_enc text, access_expires_at timestamptz, scopes text[]
)
language sql stable
as $$
    select a.portal_id, a.status, a.status_reason, a.access_token_enc, a.refresh_token_enc,
        a.access_expires_at, a.scopes
    from public.hubspot_accounts a where a.portal_id = p_portal_id
$$;

revoke execute on function public.app_account from public, anon, authenticated;
grant execute on function public.app_account to service_role;
