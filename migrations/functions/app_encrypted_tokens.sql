-- Every stored token pair, encrypted: what a key rotation re-encrypts.
drop function if exists public.app_encrypted_tokens;
create function public.app_encrypted_tokens()
returns table (portal_id bigint, access_token_enc text, refresh_token_enc text)
language sql stable
as $$
    select a.portal_id, a.access_token_enc, a.refresh_token_enc
    from public.hubspot_accounts a
    where a.access_token_enc is not null and a.refresh_token_enc is not null
    order by a.portal_id
$$;

revoke execute on function public.app_encrypted_tokens from public, anon, authenticated;
grant execute on function public.app_encrypted_tokens to service_role;
