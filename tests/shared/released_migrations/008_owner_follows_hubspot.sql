-- 008: a result belongs to the activity's owner in HubSpot now, and to that owner's rep.
--
-- Every run of an activity carries the owner HubSpot last reported for it: a new version
-- with another owner (HubSpot reassigned it) moves the activity's earlier runs along, and
-- the API moves them when it reads an owner that differs. user_id is the rep that owner
-- maps to (a rep_owners row, else the auth user with the owner's email), so a rep reading
-- through Supabase directly sees their own results under row level security; the policies
-- below follow a draft or recommendation to its run (log_id), not to any run of the same
-- activity, and reps may change only the columns that record their choice.

-- The rep an owner maps to: a hand-made mapping first (the oldest), else the auth user whose
-- email is the owner's.
create function public.app_user_for_owner(p_owner text, p_owner_email text)
returns uuid
language sql stable
as $$
    select coalesce(
        (select o.user_id from public.rep_owners o
         where o.hubspot_owner_id = p_owner order by o.created_at, o.user_id limit 1),
        (select u.id from auth.users u
         where p_owner_email is not null and lower(u.email) = lower(p_owner_email)
         order by u.created_at limit 1)
    )
$$;

-- Move every run of an activity (and its opportunity) to this owner and their rep. Returns
-- how many runs moved.
create function public.app_rehome_activity(
    p_activity_id text, p_owner text, p_owner_email text
) returns integer
language plpgsql
as $$
declare
    v_user uuid := public.app_user_for_owner(p_owner, p_owner_email);
    v_moved integer;
begin
    update public.ai_processing_logs
    set hubspot_owner_id = p_owner, user_id = v_user
    where activity_id = p_activity_id
      and (hubspot_owner_id is distinct from p_owner or user_id is distinct from v_user);
    get diagnostics v_moved = row_count;
    update public.opportunities set user_id = v_user, updated_at = now()
    where hubspot_activity_id = p_activity_id and user_id is distinct from v_user;
    return v_moved;
end
$$;

-- Queue a run (as in 005) with the rep of its owner; a version with a new owner brings the
-- activity's earlier runs along.
drop function public.app_queue_run(text, text, text, text, text, boolean, integer);
create function public.app_queue_run(
    p_activity_id text, p_activity_type text, p_activity_version text,
    p_hubspot_owner_id text, p_input_notes text, p_retry_failed boolean default false,
    p_lease_seconds integer default 300, p_owner_email text default null
) returns table (log_id uuid, status text, needs_processing boolean)
language plpgsql
as $$
begin
    if p_hubspot_owner_id is not null then
        perform public.app_rehome_activity(p_activity_id, p_hubspot_owner_id, p_owner_email);
    end if;
    return query
    with inserted as (
        insert into public.ai_processing_logs
            (activity_id, activity_type, activity_version, hubspot_owner_id, user_id,
             input_notes)
        values (p_activity_id, p_activity_type, p_activity_version, p_hubspot_owner_id,
                public.app_user_for_owner(p_hubspot_owner_id, p_owner_email), p_input_notes)
        on conflict on constraint ai_processing_logs_activity_version_key do nothing
        returning id, ai_processing_logs.status
    )
    select i.id, i.status, true from inserted i
    union all
    select l.id, l.status,
        l.status = 'queued'
        or (p_retry_failed and l.status = 'failed')
        -- replaying a run stuck 'processing' past its claim lease: its worker died
        or (p_retry_failed and l.status = 'processing'
            and l.started_at < now() - make_interval(secs => p_lease_seconds))
    from public.ai_processing_logs l
    where l.activity_id = p_activity_id and l.activity_version = p_activity_version
      and not exists (select 1 from inserted);
end
$$;

-- Everything stored for one activity, whoever it belonged to: its runs, newest first, each
-- with its drafts, recommendation and apply jobs. The caller has checked with HubSpot that
-- the asking rep owns the activity now. Null when there is no run of it.
drop function public.app_activity_results(text, text);
create function public.app_activity_results(p_activity_id text)
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
        where l.activity_id = p_activity_id
    ) runs
$$;

-- The activity a draft, recommendation or run belongs to, and its stored owner, so the API
-- can ask HubSpot who owns it before acting.
create function public.app_activity_of(p_kind text, p_id uuid)
returns table (activity_id text, activity_type text, hubspot_owner_id text)
language sql stable
as $$
    select l.activity_id, l.activity_type, l.hubspot_owner_id
    from public.ai_processing_logs l
    where l.id = case p_kind
        when 'draft' then (select d.log_id from public.ai_generated_drafts d where d.id = p_id)
        when 'recommendation' then
            (select r.log_id from public.touch_date_recommendations r where r.id = p_id)
        when 'run' then p_id
    end
$$;

-- A rep whose owner is learned from their email (on sign-in) gets the runs that were
-- stored before anyone knew who they were.
create function public.app_link_rep(p_user uuid, p_owner text)
returns integer
language plpgsql
as $$
declare
    v_linked integer;
begin
    update public.ai_processing_logs set user_id = p_user
    where hubspot_owner_id = p_owner and user_id is null;
    get diagnostics v_linked = row_count;
    update public.opportunities o set user_id = p_user, updated_at = now()
    where o.user_id is null and exists (
        select 1 from public.ai_processing_logs l
        where l.activity_id = o.hubspot_activity_id and l.hubspot_owner_id = p_owner);
    return v_linked;
end
$$;

-- A hand-made mapping takes effect on what is already stored, too.
create function public.app_rep_owners_changed()
returns trigger
language plpgsql
as $$
begin
    update public.ai_processing_logs
    set user_id = public.app_user_for_owner(hubspot_owner_id, null)
    where hubspot_owner_id in (new.hubspot_owner_id)
       or (tg_op = 'UPDATE' and hubspot_owner_id = old.hubspot_owner_id);
    return null;
end
$$;
create trigger rep_owners_changed after insert or update on public.rep_owners
    for each row execute function public.app_rep_owners_changed();

do $$
declare
    fn text;
begin
    foreach fn in array array[
        'public.app_user_for_owner(text, text)',
        'public.app_rehome_activity(text, text, text)',
        'public.app_queue_run(text, text, text, text, text, boolean, integer, text)',
        'public.app_activity_results(text)',
        'public.app_activity_of(text, uuid)',
        'public.app_link_rep(uuid, text)',
        'public.app_rep_owners_changed()'
    ] loop
        execute format('revoke execute on function %s from public, anon, authenticated', fn);
        execute format('grant execute on function %s to service_role', fn);
    end loop;
end
$$;

-- Row level security: a draft or recommendation is a rep's when its own run is.
drop policy "drafts: read own" on public.ai_generated_drafts;
drop policy "drafts: select own" on public.ai_generated_drafts;
drop policy "recommendations: read own" on public.touch_date_recommendations;
drop policy "recommendations: apply own" on public.touch_date_recommendations;

create policy "drafts: read own" on public.ai_generated_drafts
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ));
create policy "drafts: select own" on public.ai_generated_drafts
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ))
    with check (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ));

create policy "recommendations: read own" on public.touch_date_recommendations
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ));
create policy "recommendations: apply own" on public.touch_date_recommendations
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ))
    with check (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ));

-- What a rep may change directly: their choice (selected, applied, an opportunity's status)
-- and their session's metadata; the rest is the pipeline's and the apply workers'.
revoke insert, update, delete on public.ai_processing_logs, public.ai_generated_drafts,
    public.touch_date_recommendations, public.opportunities, public.apply_jobs,
    public.rep_owners from anon, authenticated;
revoke all on public.sessions from anon;
grant update (selected) on public.ai_generated_drafts to authenticated;
grant update (applied) on public.touch_date_recommendations to authenticated;
grant update (status) on public.opportunities to authenticated;
