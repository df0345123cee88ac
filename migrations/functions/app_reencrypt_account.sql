-- One account's tokens encrypted with the newest key, unless a refresh stored new ones
-- since they were read (then the refresh's, already under the newest key, stay). True when
-- stored.
drop function if exists public.app_reencrypt_account;
create function public.app_reencrypt_account(
    p_portal_id bigint, p_read_refresh_token_enc text, p_access_token_enc text,
    p_refresh_token_enc text
)
returns boolean
language sql
as $$
    with stored as (
        update public.hubspot_accounts set access_token_enc = p_access_token_enc,
            refresh_token_enc = p_refresh_token_enc, updated_at = now()
        where portal_id = p_portal_id and refresh_token_enc = p_read_refresh_token_enc
        returning 1
    )
    select exists (select 1 from stored)
$$;

revoke execute on function public.app_reencrypt_account from public, anon, authenticated;
grant execute on function public.app_reencrypt_account to service_role;
