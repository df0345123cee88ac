-- 013: what an applied job wrote, so the rep sees it where they accepted: the task's id,
-- subject and due date, whether it was created, and the HubSpot record to open it on.
alter table public.apply_jobs add column written_task jsonb;

-- The inbox reads each run's jobs: by run, not by scanning every job.
create index apply_jobs_run_idx on public.apply_jobs (run_id);

-- The inbox asks of each activity whether HubSpot deleted it: a probe into the few records
-- of a deletion, not into every run of the activity.
create index ai_processing_logs_gone_idx on public.ai_processing_logs (activity_id)
    where error_class in ('ActivityDeleted', 'ActivityGone');
