-- A rep's job, for its status URL (its payload and account are the service's own). Null
-- when unknown or another rep's.
drop function if exists public.app_get_job;
create function public.app_get_job(p_portal_id bigint, p_owner text, p_job uuid)
returns jsonb
language sql stable
as $$
    select to_jsonb(j) - 'payload' - 'hubspot_portal_id' from public.apply_jobs j
    where j.id = p_job and j.hubspot_portal_id = p_portal_id and j.hubspot_owner_id = p_owner
$$;

revoke execute on function public.app_get_job from public, anon, authenticated;
grant execute on function public.app_get_job to service_role;
