-- 007: an activity recorded 'gone' (its webhook arrived before HubSpot could serve it) or
-- 'deleted' is owed work again once HubSpot's search shows a version of it that no run has
-- processed: those records say what happened to an earlier version, not to this one.

create or replace function public.app_versions_needing_work(p_versions jsonb, p_stale_seconds integer)
returns table (activity_id text, activity_version text)
language sql stable
as $$
    select wanted.activity_id, wanted.version
    from jsonb_to_recordset(p_versions) as wanted (activity_id text, version text)
    where not exists (
        select 1 from public.ai_processing_logs l
        where l.activity_id = wanted.activity_id
          and l.activity_version = wanted.version
          and not (l.status = 'queued'
                   and l.created_at < now() - make_interval(secs => p_stale_seconds))
    )
$$;
