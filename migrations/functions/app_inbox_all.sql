-- A rep's inbox (their account's owner's): one entry per activity, its current run (the
-- newest the rep owns, leaving
-- out the echoes of our own writes), in the state a rep works by:
--   done             dismissed, or a draft accepted or dates applied (queued, applying, applied)
--   needs_attention  the run failed, the activity was deleted in HubSpot, or a job failed or
--                    met a conflict (state_detail says why)
--   to_do            completed and not yet acted on
--   other            still queued or processing, or skipped (nothing to act on)
-- state_reason names the cause: dismissed, accepted, applied, deleted, failed, conflict,
-- job_failed. sort_key orders the entries for p_order: 'newest' (the run's arrival, newest
-- first) or 'due' (the follow-up due date, soonest first, entries without one last). The best
-- draft and the due date shown are left to app_inbox_page, which reads them for one page.
drop function if exists public.app_inbox_all;
create function public.app_inbox_all(
    p_portal_id bigint, p_owner text, p_type text, p_order text
)
returns table (
    id uuid, activity_id text, activity_type text, status text, created_at timestamptz,
    processed_at timestamptz, dismissed_at timestamptz, flag text, flag_reason text,
    state text, state_reason text, state_detail text, sort_key numeric
)
language sql stable
as $$
    with current_runs as (
        select distinct on (l.activity_id) l.id, l.activity_id, l.activity_type, l.status,
            l.created_at, l.processed_at, l.dismissed_at, l.flag, l.flag_reason,
            l.error_message
        from public.ai_processing_logs l
        where l.hubspot_portal_id = p_portal_id and l.hubspot_owner_id = p_owner
          and (p_type is null or l.activity_type = p_type)
          and l.error_class is distinct from 'OwnWriteBack'
        order by l.activity_id, l.created_at desc, l.id desc
    ), jobs as (  -- the current runs' jobs, summed up by run
        select j.run_id,
            case when bool_and(j.status = 'applied') filter (
                     where j.status in ('queued', 'applying', 'applied')) then 'applied'
                 when bool_or(j.status in ('queued', 'applying')) then 'accepted' end as taken,
            (array_agg(j.status order by j.updated_at desc)
                filter (where j.status in ('conflict', 'failed')))[1] as trouble,
            (array_agg(j.reason order by j.updated_at desc)
                filter (where j.status in ('conflict', 'failed')))[1] as trouble_reason
        from current_runs c join public.apply_jobs j on j.run_id = c.id
        group by j.run_id
    ), gone as (  -- the activities deleted in HubSpot (few): when it was seen, newest
        select g.activity_id, max(g.created_at) as seen_at
        from public.ai_processing_logs g
        where g.error_class in ('ActivityDeleted', 'ActivityGone')
          and g.activity_id in (select c.activity_id from current_runs c)
        group by g.activity_id
    ), judged as materialized (  -- each row's lookups once, by joins rather than per row
        select c.*,
            case when p_order = 'due' then coalesce(r.applied_due, r.recommended_due) end as due,
            coalesce(gone.seen_at >= c.created_at, false) as deleted,
            jobs.trouble, jobs.trouble_reason, jobs.taken
        from current_runs c
        left join public.touch_date_recommendations r
            on p_order = 'due' and r.run_id = c.id  -- only this order needs every date
        left join gone on gone.activity_id = c.activity_id
        left join jobs on jobs.run_id = c.id
    ), stated as (
        select j.*,
            case
                when j.dismissed_at is not null then 'dismissed'
                when j.deleted then 'deleted'
                when j.status = 'failed' then 'failed'
                when j.trouble = 'conflict' then 'conflict'
                when j.trouble = 'failed' then 'job_failed'
                when j.taken is not null then j.taken
            end as reason
        from judged j
    )
    select s.id, s.activity_id, s.activity_type, s.status, s.created_at, s.processed_at,
        s.dismissed_at, s.flag, s.flag_reason,
        case
            when s.reason in ('dismissed', 'accepted', 'applied') then 'done'
            when s.reason is not null then 'needs_attention'
            when s.status = 'completed' then 'to_do'
            else 'other'
        end,
        s.reason,
        case when s.reason in ('conflict', 'job_failed') then s.trouble_reason
             when s.reason = 'failed' then s.error_message end,
        case when p_order = 'due'
            then extract(epoch from coalesce(s.due, 'infinity'::timestamptz))
            else -extract(epoch from s.created_at)
        end
    from stated s
$$;

revoke execute on function public.app_inbox_all from public, anon, authenticated;
grant execute on function public.app_inbox_all to service_role;
