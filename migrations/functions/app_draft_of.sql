-- A draft as accepting it needs it: the model's text, its tone and its activity's type.
-- The caller has authorised the rep; no row when the draft does not exist.
drop function if exists public.app_draft_of;
create function public.app_draft_of(p_draft uuid)
returns table (draft_text text, tone text, activity_type text)
language sql stable
as $$
    select d.draft_text, d.tone, l.activity_type
    from public.ai_generated_drafts d
    join public.ai_processing_logs l on l.id = d.run_id
    where d.id = p_draft;
$$;

revoke execute on function public.app_draft_of from public, anon, authenticated;
grant execute on function public.app_draft_of to service_role;
