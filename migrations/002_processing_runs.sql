-- 002: what the processing pipeline needs on top of the seed's tables: one run per activity
-- version (the idempotency key) and the run's lifecycle. Both stores (psycopg and
-- supabase-py's rpc) write a run's results atomically through the SQL functions in
-- functions/ (app_queue_run, app_claim_run, app_complete_run, app_finish_run).

alter table public.ai_processing_logs
    add column activity_type text
        check (activity_type in ('task', 'note', 'meeting', 'call', 'email')),
    -- hs_lastmodifieddate of the version processed: an edited activity is a new run.
    add column activity_version text not null default '',
    add column hubspot_owner_id text,
    add column started_at timestamptz,
    add column finished_at timestamptz,
    add column attempts integer not null default 0,
    add column error_class text,
    add column error_message text,
    add constraint ai_processing_logs_activity_version_key unique (activity_id, activity_version);

alter table public.ai_generated_drafts
    add column log_id uuid references public.ai_processing_logs (id) on delete cascade;
create index ai_generated_drafts_log_idx on public.ai_generated_drafts (log_id);

alter table public.touch_date_recommendations
    add column log_id uuid references public.ai_processing_logs (id) on delete cascade,
    add column rationale text,
    add constraint touch_date_recommendations_log_key unique (log_id);

alter table public.opportunities
    add constraint opportunities_activity_key unique (hubspot_activity_id);
