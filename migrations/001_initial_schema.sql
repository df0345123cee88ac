-- 001: the tables the app owns, exactly as the data-ownership document lists them.
-- HubSpot stays the source of truth for CRM records: activity ids here are HubSpot ids (text).
-- Applies unchanged to a Supabase project; plain Postgres first gets
-- migrations/local/supabase_builtins.sql (auth schema, auth.uid(), roles).

-- App-level session metadata; Supabase Auth manages the real auth session.
create table public.sessions (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references auth.users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    metadata jsonb not null default '{}'::jsonb
);
create index sessions_user_id_idx on public.sessions (user_id);

-- One row per AI processing run of a HubSpot activity.
-- user_id is null until the activity's owner is known to be a rep of this app.
create table public.ai_processing_logs (
    id uuid primary key default gen_random_uuid(),
    user_id uuid references auth.users (id) on delete set null,
    activity_id text not null check (activity_id <> ''),
    input_notes text,
    processed_at timestamptz,
    status text not null default 'queued'
        check (status in ('queued', 'processing', 'completed', 'failed', 'skipped')),
    confidence_scores jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);
-- A rep's inbox: their runs, newest first, optionally by status.
create index ai_processing_logs_user_created_idx
    on public.ai_processing_logs (user_id, created_at desc);
create index ai_processing_logs_user_status_created_idx
    on public.ai_processing_logs (user_id, status, created_at desc);
-- Everything known about one activity; also what the RLS policies below look up.
create index ai_processing_logs_activity_idx on public.ai_processing_logs (activity_id, user_id);
-- Replay and operations: runs by status and age.
create index ai_processing_logs_status_created_idx
    on public.ai_processing_logs (status, created_at);

create table public.ai_generated_drafts (
    id uuid primary key default gen_random_uuid(),
    activity_id text not null check (activity_id <> ''),
    draft_text text not null,
    tone text not null,
    confidence numeric(4, 3) not null check (confidence between 0 and 1),
    selected boolean not null default false,
    created_at timestamptz not null default now()
);
create index ai_generated_drafts_activity_idx
    on public.ai_generated_drafts (activity_id, created_at desc);

create table public.touch_date_recommendations (
    id uuid primary key default gen_random_uuid(),
    activity_id text not null check (activity_id <> ''),
    recommended_start timestamptz,
    recommended_due timestamptz not null,
    confidence numeric(4, 3) not null check (confidence between 0 and 1),
    applied boolean not null default false,
    created_at timestamptz not null default now(),
    check (recommended_start is null or recommended_start <= recommended_due)
);
create index touch_date_recommendations_activity_idx
    on public.touch_date_recommendations (activity_id, created_at desc);

-- Optional: opportunity signals kept outside HubSpot deals.
create table public.opportunities (
    id uuid primary key default gen_random_uuid(),
    user_id uuid references auth.users (id) on delete set null,
    hubspot_activity_id text not null check (hubspot_activity_id <> ''),
    probability numeric(4, 3) not null check (probability between 0 and 1),
    status text not null default 'open' check (status in ('open', 'won', 'lost')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index opportunities_user_created_idx on public.opportunities (user_id, created_at desc);
create index opportunities_activity_idx on public.opportunities (hubspot_activity_id);

-- Row level security: a signed-in rep reaches only their own rows. The server uses the
-- service role, which bypasses RLS. `(select auth.uid())` is evaluated once per statement
-- instead of once per row.
alter table public.sessions enable row level security;
alter table public.ai_processing_logs enable row level security;
alter table public.ai_generated_drafts enable row level security;
alter table public.touch_date_recommendations enable row level security;
alter table public.opportunities enable row level security;

create policy "sessions: own rows" on public.sessions
    for all to authenticated
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));

create policy "processing logs: read own" on public.ai_processing_logs
    for select to authenticated
    using (user_id = (select auth.uid()));

-- Drafts and recommendations carry no user_id: they belong to whoever owns a run of the
-- same activity.
create policy "drafts: read own" on public.ai_generated_drafts
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.activity_id = ai_generated_drafts.activity_id
          and log.user_id = (select auth.uid())
    ));
create policy "drafts: select own" on public.ai_generated_drafts
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.activity_id = ai_generated_drafts.activity_id
          and log.user_id = (select auth.uid())
    ));

create policy "recommendations: read own" on public.touch_date_recommendations
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.activity_id = touch_date_recommendations.activity_id
          and log.user_id = (select auth.uid())
    ));
create policy "recommendations: apply own" on public.touch_date_recommendations
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.activity_id = touch_date_recommendations.activity_id
          and log.user_id = (select auth.uid())
    ));

create policy "opportunities: read own" on public.opportunities
    for select to authenticated
    using (user_id = (select auth.uid()));
create policy "opportunities: update own" on public.opportunities
    for update to authenticated
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));
