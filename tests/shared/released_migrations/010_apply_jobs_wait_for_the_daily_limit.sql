-- An apply job that needs HubSpot while the account's daily API limit is used up goes back
-- to the queue, with the reason for the rep to read; it is sent again once the limit resets.
create function public.app_park_job(p_job uuid, p_reason text)
returns boolean
language plpgsql
as $$
begin
    update public.apply_jobs
    set status = 'queued', reason = left(p_reason, 1000), started_at = null, updated_at = now()
    where id = p_job and status = 'applying';
    return found;
end
$$;

revoke execute on function public.app_park_job(uuid, text) from public, anon, authenticated;
grant execute on function public.app_park_job(uuid, text) to service_role;
