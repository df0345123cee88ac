-- 002: what the processing pipeline needs on top of the seed's tables: one run per activity
-- version (the idempotency key), the run's lifecycle, and SQL functions that write a run's
-- results atomically. Both stores (psycopg and supabase-py's rpc) call these functions.

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

-- Queue a run for one activity version. Returns the run and whether it still needs a
-- processing task: it does while queued (and, when replaying, after it failed or when its
-- worker died mid-run); not once it is processing or finished.
create function public.app_queue_run(
    p_activity_id text, p_activity_type text, p_activity_version text,
    p_hubspot_owner_id text, p_input_notes text, p_retry_failed boolean default false
) returns table (log_id uuid, status text, needs_processing boolean)
language sql
as $$
    with inserted as (
        insert into public.ai_processing_logs
            (activity_id, activity_type, activity_version, hubspot_owner_id, input_notes)
        values (p_activity_id, p_activity_type, p_activity_version, p_hubspot_owner_id,
                p_input_notes)
        on conflict (activity_id, activity_version) do nothing
        returning id, status
    )
    select id, status, true from inserted
    union all
    select l.id, l.status,
        l.status = 'queued'
        or (p_retry_failed and l.status = 'failed')
        -- replaying a run stuck 'processing' past any task's time limit: its worker died
        or (p_retry_failed and l.status = 'processing'
            and l.started_at < now() - interval '300 seconds')
    from public.ai_processing_logs l
    where l.activity_id = p_activity_id and l.activity_version = p_activity_version
      and not exists (select 1 from inserted)
$$;

-- Take a queued (or replayed failed) run, or one whose worker died: a run still
-- 'processing' after p_lease_seconds outlived any task time limit. True when ours.
create function public.app_claim_run(p_log_id uuid, p_lease_seconds integer)
returns boolean
language sql
as $$
    update public.ai_processing_logs
    set status = 'processing', started_at = now(), attempts = attempts + 1,
        error_class = null, error_message = null
    where id = p_log_id
      and (status in ('queued', 'failed')
           or (status = 'processing'
               and started_at < now() - make_interval(secs => p_lease_seconds)))
    returning true
$$;

-- Store a run's results and complete it, all or nothing. Only a run in 'processing' can
-- complete, so a late duplicate cannot write a second set of drafts.
create function public.app_complete_run(
    p_log_id uuid, p_drafts jsonb, p_recommendation jsonb, p_opportunity jsonb,
    p_scores jsonb
) returns boolean
language plpgsql
as $$
declare
    v_log public.ai_processing_logs;
begin
    update public.ai_processing_logs
    set status = 'completed', processed_at = now(), finished_at = now(),
        confidence_scores = coalesce(p_scores, '{}'::jsonb)
    where id = p_log_id and status = 'processing'
    returning * into v_log;
    if not found then
        return false;
    end if;

    insert into public.ai_generated_drafts (activity_id, log_id, draft_text, tone, confidence)
    select v_log.activity_id, v_log.id, d ->> 'text', d ->> 'tone', (d ->> 'confidence')::numeric
    from jsonb_array_elements(p_drafts) as d;

    insert into public.touch_date_recommendations
        (activity_id, log_id, recommended_start, recommended_due, confidence, rationale)
    values (v_log.activity_id, v_log.id,
            (p_recommendation ->> 'recommended_start')::timestamptz,
            (p_recommendation ->> 'recommended_due')::timestamptz,
            (p_recommendation ->> 'confidence')::numeric,
            p_recommendation ->> 'rationale');

    if p_opportunity is not null and p_opportunity <> 'null'::jsonb then
        insert into public.opportunities (user_id, hubspot_activity_id, probability, status)
        values (v_log.user_id, v_log.activity_id, (p_opportunity ->> 'probability')::numeric,
                p_opportunity ->> 'status')
        on conflict (hubspot_activity_id) do update
        set probability = excluded.probability, status = excluded.status, updated_at = now();
    end if;
    return true;
end
$$;

-- End a run without results: 'skipped' (nothing to do) or 'failed' (replayable).
create function public.app_finish_run(
    p_log_id uuid, p_status text, p_error_class text, p_error_message text, p_scores jsonb
) returns boolean
language sql
as $$
    update public.ai_processing_logs
    set status = p_status, finished_at = now(), processed_at = now(),
        error_class = p_error_class, error_message = left(p_error_message, 2000),
        confidence_scores = confidence_scores || coalesce(p_scores, '{}'::jsonb)
    where id = p_log_id and status in ('queued', 'processing')
      and p_status in ('skipped', 'failed')
    returning true
$$;

-- Only the server (service role, or the direct connection) may call these: reps reach the
-- data through RLS, never by writing runs.
do $$
declare
    fn text;
begin
    foreach fn in array array[
        'public.app_queue_run(text, text, text, text, text, boolean)',
        'public.app_claim_run(uuid, integer)',
        'public.app_complete_run(uuid, jsonb, jsonb, jsonb, jsonb)',
        'public.app_finish_run(uuid, text, text, text, jsonb)'
    ] loop
        execute format('revoke execute on function %s from public, anon, authenticated', fn);
        execute format('grant execute on function %s to service_role', fn);
    end loop;
end
$$;
