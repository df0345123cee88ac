-- Runs still 'queued' p_stale_seconds after they were created: their processing message was
-- lost (a Redis that lost data). Without a reconcile sweep (OAuth installs catch up from
-- their journals, which bring only new events) this is how such a run is found again. Runs
-- stored before rows named their account are left to the static install's sweep.
drop function if exists public.app_stale_queued_runs;
create function public.app_stale_queued_runs(p_stale_seconds integer, p_limit integer)
returns table (hubspot_portal_id bigint, activity_id text, activity_type text)
language sql stable
as $$
    select l.hubspot_portal_id, l.activity_id, l.activity_type
    from public.ai_processing_logs l
    where l.status = 'queued'
      and l.created_at < now() - make_interval(secs => p_stale_seconds)
      and l.hubspot_portal_id is not null and l.activity_type is not null
    order by l.created_at
    limit p_limit
$$;

revoke execute on function public.app_stale_queued_runs from public, anon, authenticated;
grant execute on function public.app_stale_queued_runs to service_role;
