-- Reject a draft, with the rep's reason (and note, required for 'other'); rejecting again
-- keeps the first time and takes the latest reason. A draft whose job never reached HubSpot
-- is no longer accepted. outcome: rejected | not_found | already_applied; with the draft's
-- tone and activity type, which the reject counters are labelled with.
drop function if exists public.app_reject_draft;
create function public.app_reject_draft(
    p_portal_id bigint, p_owner text, p_draft uuid, p_reason text, p_note text default null
)
returns table (outcome text, tone text, activity_type text)
language plpgsql
as $$
declare
    v_tone text;
    v_type text;
begin
    select d.tone, l.activity_type into v_tone, v_type from public.ai_generated_drafts d
    join public.ai_processing_logs l on l.id = d.run_id
    where d.id = p_draft and l.hubspot_portal_id = p_portal_id and l.hubspot_owner_id = p_owner;
    if not found then
        return query select 'not_found'::text, null::text, null::text;
        return;
    end if;
    if exists (select 1 from public.apply_jobs
               where idempotency_key = 'draft:' || p_draft and status in ('applying', 'applied'))
    then
        return query select 'already_applied'::text, v_tone, v_type;
        return;
    end if;
    update public.ai_generated_drafts
    set rejected_at = coalesce(rejected_at, now()), reject_reason = p_reason,
        reject_note = p_note, accepted_at = null, final_text = null, edit_distance = null
    where id = p_draft;
    return query select 'rejected'::text, v_tone, v_type;
end
$$;

revoke execute on function public.app_reject_draft from public, anon, authenticated;
grant execute on function public.app_reject_draft to service_role;
