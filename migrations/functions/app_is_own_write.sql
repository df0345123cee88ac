-- Whether this version of the account's activity is our own write-back (a task we updated or created), so
-- the webhook HubSpot sends for it is not processed as a rep's new activity.
drop function if exists public.app_is_own_write;
create function public.app_is_own_write(p_portal_id bigint, p_activity_id text, p_version text)
returns boolean
language sql stable
as $$
    select exists (
        select 1 from public.apply_jobs j
        join public.ai_processing_logs l on l.id = j.run_id
        where j.hubspot_object_id = p_activity_id
          and j.hubspot_portal_id is not distinct from p_portal_id
          and (j.written_version = p_version or l.activity_id <> p_activity_id)
    )
$$;

revoke execute on function public.app_is_own_write from public, anon, authenticated;
grant execute on function public.app_is_own_write to service_role;
