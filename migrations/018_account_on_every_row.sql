-- 018: every row the app stores belongs to a HubSpot account: hubspot_portal_id, written
-- when the row is created. A run is given its account by the pipeline (the account whose
-- events and activities it handles); drafts, recommendations, opportunities and apply jobs
-- take their run's. The column is nullable on every table, for two reasons:
-- - rows stored before this migration: SQL cannot know which account the access token
--   reaches, so runs stay unowned until `hubspot-ai migrate` reads it from HubSpot and
--   adopts them (app_adopt_rows, which gives every older result its run's account);
-- - rep_owners and sessions: a rep mapping is made by hand and an app session is opened at
--   sign-in, both before anything says which account the rep works in.

alter table public.ai_processing_logs
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.ai_generated_drafts
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.touch_date_recommendations
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.opportunities
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.apply_jobs
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.rep_owners
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);
alter table public.sessions
    add column hubspot_portal_id bigint check (hubspot_portal_id > 0);

-- A rep's runs within an account, newest first (the per-account inbox and runs list), and
-- each table's rows by account (an uninstalled account's purge).
create index ai_processing_logs_portal_owner_created_idx
    on public.ai_processing_logs (hubspot_portal_id, hubspot_owner_id, created_at desc);
create index ai_generated_drafts_portal_idx on public.ai_generated_drafts (hubspot_portal_id);
create index touch_date_recommendations_portal_idx
    on public.touch_date_recommendations (hubspot_portal_id);
create index opportunities_portal_idx on public.opportunities (hubspot_portal_id);
create index apply_jobs_portal_idx on public.apply_jobs (hubspot_portal_id);
create index rep_owners_portal_idx on public.rep_owners (hubspot_portal_id);
create index sessions_portal_idx on public.sessions (hubspot_portal_id);
-- What adoption looks for: the runs still without an account.
create index ai_processing_logs_unowned_idx on public.ai_processing_logs (id)
    where hubspot_portal_id is null;
