-- What a rep accepted: the draft's final text and how far it is from the model's text.
-- Nothing for a recommendation, or when the caller computed no record.
drop function if exists public.app_record_accept;
create function public.app_record_accept(
    p_kind text, p_target uuid, p_final_text text, p_edit_distance double precision
) returns void
language sql
as $$
    update public.ai_generated_drafts
    set accepted_at = now(), final_text = p_final_text, edit_distance = p_edit_distance
    where p_kind = 'draft' and p_final_text is not null and id = p_target;
$$;

revoke execute on function public.app_record_accept from public, anon, authenticated;
grant execute on function public.app_record_accept to service_role;
