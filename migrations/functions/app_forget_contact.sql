-- A contact's privacy deletion: every text the app derived from the activities that contact
-- was associated with is removed (the activity's notes kept with its runs, the drafts and
-- what reps made of them, the date rationales, accepted texts waiting in apply jobs and
-- the subjects of the tasks they wrote), their opportunity signals are deleted, the runs are
-- dismissed, and the deletion is recorded without the contact. Contact ids are the
-- account's: another account's contact with the same id is someone else (runs stored before
-- rows named their account count as this one's). Answers the activities touched (to drop cached copies) and
-- the counts recorded. Texts the database requires keep a fixed marker instead.
drop function if exists public.app_forget_contact;
create function public.app_forget_contact(
    p_contact_id text, p_portal_id bigint, p_event_id bigint, p_requested_at timestamptz
)
returns table (activity_ids text[], runs integer, drafts integer, jobs integer)
language plpgsql
as $$
declare
    v_removed constant text := '(removed: privacy deletion)';
    v_runs uuid[];
    v_activities text[];
    v_drafts integer;
    v_jobs integer;
begin
    select coalesce(array_agg(l.id), '{}'), coalesce(array_agg(distinct l.activity_id), '{}')
    into v_runs, v_activities
    from public.ai_processing_logs l
    where l.contact_ids @> array[p_contact_id]
      and (l.hubspot_portal_id = p_portal_id or l.hubspot_portal_id is null);

    update public.ai_processing_logs set input_notes = null, flag_reason = null,
        error_message = null, dismissed_at = coalesce(dismissed_at, now())
    where id = any(v_runs);
    update public.ai_generated_drafts set draft_text = v_removed, edited_text = null,
        final_text = case when final_text is null then null else v_removed end,
        reject_note = case when reject_note is null then null else v_removed end
    where run_id = any(v_runs);
    get diagnostics v_drafts = row_count;
    update public.touch_date_recommendations set rationale = null where run_id = any(v_runs);
    update public.apply_jobs set payload = payload - 'text',
        written_task = case when written_task is null then null
            else jsonb_set(written_task, '{subject}', to_jsonb(v_removed)) end
    where run_id = any(v_runs);
    get diagnostics v_jobs = row_count;
    delete from public.opportunities o
    where o.hubspot_activity_id = any(v_activities)
      and (o.hubspot_portal_id = p_portal_id or o.hubspot_portal_id is null);

    insert into public.privacy_deletions (hubspot_portal_id, hubspot_event_id, requested_at,
        runs_scrubbed, drafts_scrubbed, jobs_scrubbed)
    values (p_portal_id, p_event_id, p_requested_at, cardinality(v_runs), v_drafts, v_jobs);

    return query select v_activities, cardinality(v_runs), v_drafts, v_jobs;
end
$$;

revoke execute on function public.app_forget_contact from public, anon, authenticated;
grant execute on function public.app_forget_contact to service_role;
