-- Take a queued (or replayed failed) run, or one whose worker died: a run still
-- 'processing' after p_lease_seconds outlived any task time limit. True when ours.
drop function if exists public.app_claim_run;
create function public.app_claim_run(p_run_id uuid, p_lease_seconds integer)
returns boolean
language sql
as $$
    update public.ai_processing_logs
    set status = 'processing', started_at = now(), attempts = attempts + 1,
        error_class = null, error_message = null
    where id = p_run_id
      and (status in ('queued', 'failed')
           or (status = 'processing'
               and started_at < now() - make_interval(secs => p_lease_seconds)))
    returning true
$$;

revoke execute on function public.app_claim_run from public, anon, authenticated;
grant execute on function public.app_claim_run to service_role;
