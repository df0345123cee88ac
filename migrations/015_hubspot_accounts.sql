-- 015: the HubSpot accounts the app is installed in. With OAuth each install has its own
-- tokens, kept here encrypted by the app (Fernet; the database never sees them in clear).
-- An account is connected, disconnected (its refresh token was refused: work for it waits
-- until it is installed again) or uninstalled (its stored text is purged after purge_after).

create table public.hubspot_accounts (
    portal_id bigint primary key check (portal_id > 0),
    status text not null default 'connected'
        check (status in ('connected', 'disconnected', 'uninstalled')),
    status_reason text,
    access_token_enc text,
    refresh_token_enc text,
    access_expires_at timestamptz,
    scopes text[] not null default '{}',
    installed_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    uninstalled_at timestamptz,
    purge_after timestamptz,
    constraint hubspot_accounts_connected_has_tokens check (
        status <> 'connected'
        or (access_token_enc is not null and refresh_token_enc is not null
            and access_expires_at is not null)
    ),
    constraint hubspot_accounts_uninstalled_has_dates check (
        status <> 'uninstalled' or (uninstalled_at is not null and purge_after is not null)
    )
);

alter table public.hubspot_accounts enable row level security;
