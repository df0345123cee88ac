-- 013: what an applied job wrote, so the rep sees it where they accepted: the task's id,
-- subject and due date, whether it was created, and the HubSpot record to open it on.
alter table public.apply_jobs add column written_task jsonb;
