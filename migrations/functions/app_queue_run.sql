-- Queue a run for one activity version of the HubSpot account p_portal_id, with the rep of
-- its owner in that account and the ids of the contacts it is associated with (what a privacy
-- deletion looks for); a version with a new owner brings the activity's earlier runs along.
-- Returns the run and whether it still needs a processing task: it does while queued (and,
-- when replaying, after it failed or when its worker died: still 'processing' past the claim
-- lease the caller passes); not once it is processing or finished.
drop function if exists public.app_queue_run;
create function public.app_queue_run(
    p_activity_id text, p_activity_type text, p_activity_version text,
    p_hubspot_owner_id text, p_input_notes text, p_portal_id bigint,
    p_retry_failed boolean default false,
    p_lease_seconds integer default 300, p_owner_email text default null,
    p_contact_ids jsonb default '[]'::jsonb
) returns table (run_id uuid, status text, needs_processing boolean)
language plpgsql
as $$
begin
    if p_hubspot_owner_id is not null then
        perform public.app_rehome_activity(
            p_portal_id, p_activity_id, p_hubspot_owner_id, p_owner_email);
    end if;
    return query
    with inserted as (
        insert into public.ai_processing_logs
            (activity_id, activity_type, activity_version, hubspot_owner_id, user_id,
             input_notes, contact_ids, hubspot_portal_id)
        values (p_activity_id, p_activity_type, p_activity_version, p_hubspot_owner_id,
                public.app_user_for_owner(p_portal_id, p_hubspot_owner_id, p_owner_email),
                p_input_notes,
                array(select jsonb_array_elements_text(coalesce(p_contact_ids, '[]'::jsonb))),
                p_portal_id)
        on conflict on constraint ai_processing_logs_activity_version_key do nothing
        returning id, ai_processing_logs.status
    )
    select i.id, i.status, true from inserted i
    union all
    select l.id, l.status,
        l.status = 'queued'
        or (p_retry_failed and l.status = 'failed')
        -- replaying a run stuck 'processing' past its claim lease: its worker died
        or (p_retry_failed and l.status = 'processing'
            and l.started_at < now() - make_interval(secs => p_lease_seconds))
    from public.ai_processing_logs l
    where l.activity_id = p_activity_id and l.activity_version = p_activity_version
      and l.hubspot_portal_id is not distinct from p_portal_id
      and not exists (select 1 from inserted);
end
$$;

revoke execute on function public.app_queue_run from public, anon, authenticated;
grant execute on function public.app_queue_run to service_role;
