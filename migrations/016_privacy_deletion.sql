-- 016: what a contact's privacy deletion must reach. Each run keeps the ids (ids only, no
-- CRM data) of the contacts its activity was associated with when it was fetched, so a
-- GDPR delete in HubSpot finds every text the app derived from that contact's activities.
-- privacy_deletions records that a deletion was carried out, without personal data: not
-- the contact, only HubSpot's event and how much was removed.

alter table public.ai_processing_logs add column contact_ids text[] not null default '{}';
create index ai_processing_logs_contact_ids_idx
    on public.ai_processing_logs using gin (contact_ids);

create table public.privacy_deletions (
    id uuid primary key default gen_random_uuid(),
    hubspot_portal_id bigint not null check (hubspot_portal_id > 0),
    hubspot_event_id bigint not null,
    requested_at timestamptz not null,
    processed_at timestamptz not null default now(),
    runs_scrubbed integer not null check (runs_scrubbed >= 0),
    drafts_scrubbed integer not null check (drafts_scrubbed >= 0),
    jobs_scrubbed integer not null check (jobs_scrubbed >= 0)
);

alter table public.privacy_deletions enable row level security;

-- No longer used: /readyz and /metrics read the accounts' states from Redis.
drop function if exists public.app_account_counts;
