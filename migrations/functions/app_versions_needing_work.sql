-- Of these activity versions of one account ([{"activity_id", "version"}, ...]), the ones the pipeline
-- still owes work: no run of that version, or one left 'queued' for longer than
-- p_stale_seconds (its processing message was lost, e.g. with a Redis that lost data). A run
-- recorded 'gone' or 'deleted' says what happened to an earlier version, not to this one.
-- Runs stored before rows named their account (null) count as the account's: there was one.
drop function if exists public.app_versions_needing_work;
create function public.app_versions_needing_work(
    p_portal_id bigint, p_versions jsonb, p_stale_seconds integer
) returns table (activity_id text, activity_version text)
language sql stable
as $$
    select wanted.activity_id, wanted.version
    from jsonb_to_recordset(p_versions) as wanted (activity_id text, version text)
    where not exists (
        select 1 from public.ai_processing_logs l
        where l.activity_id = wanted.activity_id
          and (l.hubspot_portal_id = p_portal_id or l.hubspot_portal_id is null)
          and l.activity_version = wanted.version
          and not (l.status = 'queued'
                   and l.created_at < now() - make_interval(secs => p_stale_seconds))
    )
$$;

revoke execute on function public.app_versions_needing_work from public, anon, authenticated;
grant execute on function public.app_versions_needing_work to service_role;
