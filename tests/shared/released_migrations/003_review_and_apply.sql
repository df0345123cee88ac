-- 003: reps review results and accept them; accepted results wait in apply_jobs until a
-- worker writes them to HubSpot, exactly once. As in 002, the server reaches all of this
-- through SQL functions only it may call; reps' own access is row level security.

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

-- The HubSpot owner a rep was mapped to by hand, if any.
create function public.app_rep_owner(p_user uuid)
returns text
language sql stable
as $$
    select hubspot_owner_id from public.rep_owners where user_id = p_user
$$;

-- Runs in a status since a time (replay); a function so both stores read it the same way.
create function public.app_runs_with_status(p_status text, p_since timestamptz)
returns table (activity_id text, activity_type text)
language sql stable
as $$
    select l.activity_id, l.activity_type from public.ai_processing_logs l
    where l.status = p_status and l.created_at >= p_since and l.activity_type is not null
    order by l.created_at
$$;

-- Of these activity versions ([{"activity_id", "version"}, ...]), the ones the pipeline
-- still owes work: no processing log at all, or a run left 'queued' for longer than
-- p_stale_seconds (its processing message was lost, e.g. with a Redis that lost data).
create function public.app_versions_needing_work(p_versions jsonb, p_stale_seconds integer)
returns table (activity_id text, activity_version text)
language sql stable
as $$
    select wanted.activity_id, wanted.version
    from jsonb_to_recordset(p_versions) as wanted (activity_id text, version text)
    where not exists (
        select 1 from public.ai_processing_logs l
        where l.activity_id = wanted.activity_id
          and l.activity_version in (wanted.version, 'deleted', 'gone')
          and not (l.status = 'queued'
                   and l.created_at < now() - make_interval(secs => p_stale_seconds))
    )
$$;

-- One page of a rep's results, newest first (keyset paging on created_at, id).
create function public.app_list_results(
    p_owner text, p_status text, p_type text, p_before_created timestamptz,
    p_before_id uuid, p_limit integer
) returns table (
    id uuid, activity_id text, activity_type text, status text, created_at timestamptz,
    processed_at timestamptz, dismissed_at timestamptz, best_draft text,
    recommended_due timestamptz
)
language sql stable
as $$
    select l.id, l.activity_id, l.activity_type, l.status, l.created_at, l.processed_at,
        l.dismissed_at,
        (select coalesce(d.edited_text, d.draft_text) from public.ai_generated_drafts d
         where d.log_id = l.id order by d.confidence desc, d.tone limit 1),
        (select r.recommended_due from public.touch_date_recommendations r
         where r.log_id = l.id)
    from public.ai_processing_logs l
    where l.hubspot_owner_id = p_owner
      and (p_status is null or l.status = p_status)
      and (p_type is null or l.activity_type = p_type)
      and (p_before_created is null or (l.created_at, l.id) < (p_before_created, p_before_id))
    order by l.created_at desc, l.id desc
    limit least(greatest(p_limit, 1), 101)  -- one more than a page: is there a next page?
$$;

-- Everything stored for one of a rep's activities: its runs, newest first, each with its
-- drafts, recommendation and apply jobs. Null when the rep owns no run of it.
create function public.app_activity_results(p_owner text, p_activity_id text)
returns jsonb
language sql stable
as $$
    select jsonb_agg(run order by run ->> 'created_at' desc)
    from (
        select to_jsonb(l) - 'input_notes' || jsonb_build_object(
            'drafts', coalesce((
                select jsonb_agg(to_jsonb(d) order by d.confidence desc, d.tone)
                from public.ai_generated_drafts d where d.log_id = l.id), '[]'::jsonb),
            'recommendation', (
                select to_jsonb(r) from public.touch_date_recommendations r
                where r.log_id = l.id),
            'jobs', coalesce((
                select jsonb_agg(to_jsonb(j) - 'payload' order by j.created_at)
                from public.apply_jobs j where j.log_id = l.id), '[]'::jsonb)
        ) as run
        from public.ai_processing_logs l
        where l.activity_id = p_activity_id and l.hubspot_owner_id = p_owner
    ) runs
$$;

-- Accept a draft or apply a recommendation: one job per accepted result.
-- outcome: created | existing (still queued or applying) | retried (after failed or
-- conflict) | already_applied | not_found (unknown, another rep's, or rejected).
create function public.app_request_apply(
    p_owner text, p_user uuid, p_kind text, p_target uuid, p_payload jsonb
) returns table (job_id uuid, job_status text, outcome text)
language plpgsql
as $$
declare
    v_log_id uuid;
    v_job public.apply_jobs;
begin
    if p_kind = 'draft' then
        select d.log_id into v_log_id from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.log_id
        where d.id = p_target and l.hubspot_owner_id = p_owner and d.rejected_at is null;
    else
        select r.log_id into v_log_id from public.touch_date_recommendations r
        join public.ai_processing_logs l on l.id = r.log_id
        where r.id = p_target and l.hubspot_owner_id = p_owner;
    end if;
    if v_log_id is null then
        return query select null::uuid, null::text, 'not_found'::text;
        return;
    end if;

    insert into public.apply_jobs
        (idempotency_key, user_id, hubspot_owner_id, log_id, kind, target_id, payload)
    values (p_kind || ':' || p_target, p_user, p_owner, v_log_id, p_kind, p_target,
            coalesce(p_payload, '{}'::jsonb))
    on conflict (idempotency_key) do nothing
    returning * into v_job;
    if found then
        return query select v_job.id, v_job.status, 'created'::text;
        return;
    end if;

    select * into v_job from public.apply_jobs
    where idempotency_key = p_kind || ':' || p_target for update;
    if v_job.status = 'applied' then
        return query select v_job.id, v_job.status, 'already_applied'::text;
    elsif v_job.status in ('failed', 'conflict') then
        update public.apply_jobs
        set status = 'queued', reason = null, payload = coalesce(p_payload, '{}'::jsonb),
            user_id = p_user, updated_at = now()
        where id = v_job.id;
        return query select v_job.id, 'queued'::text, 'retried'::text;
    else
        return query select v_job.id, v_job.status, 'existing'::text;
    end if;
end
$$;

-- Reject a draft. outcome: rejected | not_found | already_applied
create function public.app_reject_draft(p_owner text, p_draft uuid)
returns text
language plpgsql
as $$
begin
    if not exists (
        select 1 from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.log_id
        where d.id = p_draft and l.hubspot_owner_id = p_owner
    ) then
        return 'not_found';
    end if;
    if exists (select 1 from public.apply_jobs
               where idempotency_key = 'draft:' || p_draft and status in ('applying', 'applied'))
    then
        return 'already_applied';
    end if;
    update public.ai_generated_drafts set rejected_at = coalesce(rejected_at, now())
    where id = p_draft;
    return 'rejected';
end
$$;

-- Dismiss one of a rep's results. outcome: dismissed | not_found
create function public.app_dismiss_run(p_owner text, p_log uuid)
returns text
language sql
as $$
    with dismissed as (
        update public.ai_processing_logs set dismissed_at = coalesce(dismissed_at, now())
        where id = p_log and hubspot_owner_id = p_owner
        returning 1
    )
    select case when exists (select 1 from dismissed) then 'dismissed' else 'not_found' end
$$;

-- A rep's job, for its status URL. Null when unknown or another rep's.
create function public.app_get_job(p_owner text, p_job uuid)
returns jsonb
language sql stable
as $$
    select to_jsonb(j) - 'payload' from public.apply_jobs j
    where j.id = p_job and j.hubspot_owner_id = p_owner
$$;

-- Take a queued job (or one whose worker died, after the lease) and return what applying it
-- needs: the job, the run it belongs to, and the accepted draft or recommendation.
create function public.app_claim_job(p_job uuid, p_lease_seconds integer)
returns jsonb
language sql
as $$
    with claimed as (
        update public.apply_jobs
        set status = 'applying', started_at = now(), attempts = attempts + 1,
            updated_at = now()
        where id = p_job
          and (status = 'queued'
               or (status = 'applying'
                   and started_at < now() - make_interval(secs => p_lease_seconds)))
        returning *
    )
    select to_jsonb(c) || jsonb_build_object(
        'run', to_jsonb(l) - 'input_notes',
        -- versions of this activity that our own earlier write-backs produced
        'own_versions', coalesce((
            select jsonb_agg(j.written_version) from public.apply_jobs j
            where j.hubspot_object_id = l.activity_id and j.written_version is not null
              and j.id <> c.id), '[]'::jsonb),
        'draft', (select to_jsonb(d) from public.ai_generated_drafts d
                  where c.kind = 'draft' and d.id = c.target_id),
        -- the run's recommendation: its dates go on any task the job writes
        'recommendation', (select to_jsonb(r) from public.touch_date_recommendations r
                           where r.log_id = c.log_id),
        -- the follow-up task an earlier job of the same run created, to update, not repeat
        'run_task_id', (select j.hubspot_object_id from public.apply_jobs j
                        where j.log_id = c.log_id and j.id <> c.id
                          and j.hubspot_object_id is not null
                          and j.hubspot_object_id <> l.activity_id
                        order by j.created_at limit 1)
    )
    from claimed c join public.ai_processing_logs l on l.id = c.log_id
$$;

-- The HubSpot object a job created or updated, and its version after our write, recorded
-- before the job can be finished.
create function public.app_record_job_object(p_job uuid, p_object_id text, p_version text)
returns boolean
language sql
as $$
    update public.apply_jobs
    set hubspot_object_id = p_object_id, written_version = p_version, updated_at = now()
    where id = p_job and status = 'applying'
    returning true
$$;

-- Whether this activity version is our own write-back (a task we updated or created), so
-- the webhook HubSpot sends for it is not processed as a rep's new activity.
create function public.app_is_own_write(p_activity_id text, p_version text)
returns boolean
language sql stable
as $$
    select exists (
        select 1 from public.apply_jobs j
        join public.ai_processing_logs l on l.id = j.log_id
        where j.hubspot_object_id = p_activity_id
          and (j.written_version = p_version or l.activity_id <> p_activity_id)
    )
$$;

-- Finish a job: applied (and mark the draft selected or the recommendation applied, with the
-- dates actually written), failed (retryable by accepting again) or conflict.
create function public.app_finish_job(p_job uuid, p_status text, p_reason text)
returns boolean
language plpgsql
as $$
declare
    v_job public.apply_jobs;
begin
    update public.apply_jobs
    set status = p_status, reason = left(p_reason, 1000), finished_at = now(), updated_at = now()
    where id = p_job and status = 'applying' and p_status in ('applied', 'failed', 'conflict')
    returning * into v_job;
    if not found then
        return false;
    end if;
    if p_status = 'applied' and v_job.kind = 'draft' then
        update public.ai_generated_drafts
        set selected = true, edited_text = v_job.payload ->> 'text'
        where id = v_job.target_id;
    elsif p_status = 'applied' then
        update public.touch_date_recommendations
        set applied = true,
            applied_start = coalesce((v_job.payload ->> 'recommended_start')::timestamptz,
                                     recommended_start),
            applied_due = coalesce((v_job.payload ->> 'recommended_due')::timestamptz,
                                   recommended_due)
        where id = v_job.target_id;
    end if;
    return true;
end
$$;

-- App-level session metadata for the current user (the seed's public.sessions): the newest
-- unexpired row, created on first use.
create function public.app_current_session(p_user uuid)
returns jsonb
language plpgsql
as $$
declare
    v_session public.sessions;
begin
    select * into v_session from public.sessions
    where user_id = p_user and (expires_at is null or expires_at > now())
    order by created_at desc limit 1;
    if not found then
        insert into public.sessions (user_id, expires_at)
        values (p_user, now() + interval '30 days')
        returning * into v_session;
    end if;
    return to_jsonb(v_session);
end
$$;

create function public.app_update_session(p_user uuid, p_metadata jsonb)
returns jsonb
language plpgsql
as $$
declare
    v_id uuid := (public.app_current_session(p_user) ->> 'id')::uuid;
begin
    update public.sessions set metadata = metadata || coalesce(p_metadata, '{}'::jsonb)
    where id = v_id;
    return (select to_jsonb(s) from public.sessions s where s.id = v_id);
end
$$;

do $$
declare
    fn text;
begin
    foreach fn in array array[
        'public.app_rep_owner(uuid)',
        'public.app_runs_with_status(text, timestamptz)',
        'public.app_versions_needing_work(jsonb, integer)',
        'public.app_list_results(text, text, text, timestamptz, uuid, integer)',
        'public.app_activity_results(text, text)',
        'public.app_request_apply(text, uuid, text, uuid, jsonb)',
        'public.app_reject_draft(text, uuid)',
        'public.app_dismiss_run(text, uuid)',
        'public.app_get_job(text, uuid)',
        'public.app_claim_job(uuid, integer)',
        'public.app_record_job_object(uuid, text, text)',
        'public.app_is_own_write(text, text)',
        'public.app_finish_job(uuid, text, text)',
        'public.app_current_session(uuid)',
        'public.app_update_session(uuid, jsonb)'
    ] loop
        execute format('revoke execute on function %s from public, anon, authenticated', fn);
        execute format('grant execute on function %s to service_role', fn);
    end loop;
end
$$;
