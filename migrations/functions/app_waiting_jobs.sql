-- The other jobs of this job's run still waiting for their turn, oldest first.
drop function if exists public.app_waiting_jobs;
create function public.app_waiting_jobs(p_job uuid)
returns table (job_id uuid)
language sql stable
as $$
    select w.id from public.apply_jobs j
    join public.apply_jobs w on w.run_id = j.run_id and w.id <> j.id
    where j.id = p_job and w.status = 'queued'
    order by w.created_at
$$;

revoke execute on function public.app_waiting_jobs from public, anon, authenticated;
grant execute on function public.app_waiting_jobs to service_role;
