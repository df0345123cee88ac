-- End a run without results: 'skipped' (nothing to do) or 'failed' (replayable).
drop function if exists public.app_finish_run;
create function public.app_finish_run(
    p_run_id uuid, p_status text, p_error_class text, p_error_message text, p_scores jsonb
) returns boolean
language sql
as $$
    update public.ai_processing_logs
    set status = p_status, finished_at = now(), processed_at = now(),
        error_class = p_error_class, error_message = left(p_error_message, 2000),
        confidence_scores = confidence_scores || coalesce(p_scores, '{}'::jsonb)
    where id = p_run_id and status in ('queued', 'processing')
      and p_status in ('skipped', 'failed')
    returning true
$$;

revoke execute on function public.app_finish_run from public, anon, authenticated;
grant execute on function public.app_finish_run to service_role;
