-- 003: reps review results and accept them; accepted results wait in apply_jobs until a
-- worker writes them to HubSpot, exactly once. As in 002, the server reaches all of this
-- through SQL functions only it may call (functions/); reps' own access is row level security.

-- Which HubSpot owner a rep is. Normally found from the rep's email through HubSpot's
-- Owners API; a row here overrides that (a shared inbox, an email that differs).
create table public.rep_owners (
    user_id uuid primary key references auth.users (id) on delete cascade,
    hubspot_owner_id text not null check (hubspot_owner_id <> ''),
    created_at timestamptz not null default now()
);
alter table public.rep_owners enable row level security;
create policy "rep owners: read own" on public.rep_owners
    for select to authenticated using (user_id = (select auth.uid()));

alter table public.ai_generated_drafts
    add column edited_text text,
    add column rejected_at timestamptz;
alter table public.touch_date_recommendations
    add column applied_start timestamptz,
    add column applied_due timestamptz;
alter table public.ai_processing_logs
    add column dismissed_at timestamptz;

-- A rep's inbox, newest first: results are scoped by the activity's HubSpot owner.
create index ai_processing_logs_owner_created_idx
    on public.ai_processing_logs (hubspot_owner_id, created_at desc, id desc);

create table public.apply_jobs (
    id uuid primary key default gen_random_uuid(),
    -- One job per accepted result: a double click or a retry finds the same job.
    idempotency_key text not null unique,
    user_id uuid references auth.users (id) on delete set null,
    hubspot_owner_id text not null,
    log_id uuid not null references public.ai_processing_logs (id) on delete cascade,
    kind text not null check (kind in ('draft', 'recommendation')),
    target_id uuid not null,
    payload jsonb not null default '{}'::jsonb,
    status text not null default 'queued'
        check (status in ('queued', 'applying', 'applied', 'failed', 'conflict')),
    reason text,
    attempts integer not null default 0,
    -- Written before the job is marked applied, so a retry never creates a second task.
    hubspot_object_id text,
    -- hs_lastmodifieddate after our write: HubSpot's webhook for it is our own echo.
    written_version text,
    started_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index apply_jobs_owner_created_idx on public.apply_jobs (hubspot_owner_id, created_at desc);
alter table public.apply_jobs enable row level security;
create policy "apply jobs: read own" on public.apply_jobs
    for select to authenticated using (user_id = (select auth.uid()));
