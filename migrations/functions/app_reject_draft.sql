-- Reject a draft. outcome: rejected | not_found | already_applied
drop function if exists public.app_reject_draft;
create function public.app_reject_draft(p_owner text, p_draft uuid)
returns text
language plpgsql
as $$
begin
    if not exists (
        select 1 from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.run_id
        where d.id = p_draft and l.hubspot_owner_id = p_owner
    ) then
        return 'not_found';
    end if;
    if exists (select 1 from public.apply_jobs
               where idempotency_key = 'draft:' || p_draft and status in ('applying', 'applied'))
    then
        return 'already_applied';
    end if;
    update public.ai_generated_drafts set rejected_at = coalesce(rejected_at, now())
    where id = p_draft;
    return 'rejected';
end
$$;

revoke execute on function public.app_reject_draft from public, anon, authenticated;
grant execute on function public.app_reject_draft to service_role;
