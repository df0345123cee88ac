-- Replaying a run stuck 'processing' waits for the claim lease (CLAIM_LEASE_SECONDS, passed
-- by the caller) instead of a fixed 300 s, so replay and the claim agree on when a worker
-- is presumed dead.
drop function public.app_queue_run(text, text, text, text, text, boolean);

create function public.app_queue_run(
    p_activity_id text, p_activity_type text, p_activity_version text,
    p_hubspot_owner_id text, p_input_notes text, p_retry_failed boolean default false,
    p_lease_seconds integer default 300
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
        -- replaying a run stuck 'processing' past its claim lease: its worker died
        or (p_retry_failed and l.status = 'processing'
            and l.started_at < now() - make_interval(secs => p_lease_seconds))
    from public.ai_processing_logs l
    where l.activity_id = p_activity_id and l.activity_version = p_activity_version
      and not exists (select 1 from inserted)
$$;

revoke execute on function
    public.app_queue_run(text, text, text, text, text, boolean, integer)
    from public, anon, authenticated;
grant execute on function
    public.app_queue_run(text, text, text, text, text, boolean, integer)
    to service_role;
