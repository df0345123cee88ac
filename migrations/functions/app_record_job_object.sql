-- The HubSpot object a job created or updated, its version after our write, and the task as
-- the rep is shown it, recorded before the job can be finished.
drop function if exists public.app_record_job_object;
create function public.app_record_job_object(
    p_job uuid, p_object_id text, p_version text, p_written_task jsonb
)
returns boolean
language sql
as $$
    update public.apply_jobs
    set hubspot_object_id = p_object_id, written_version = p_version,
        written_task = p_written_task, updated_at = now()
    where id = p_job and status = 'applying'
    returning true
$$;

revoke execute on function public.app_record_job_object from public, anon, authenticated;
grant execute on function public.app_record_job_object to service_role;
