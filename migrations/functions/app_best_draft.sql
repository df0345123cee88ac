-- A run's best draft, as lists show it: the first by rank (the rep's favourite tone first),
-- then confidence, with the rep's edit when there is one. One definition for every list.
drop function if exists public.app_best_draft;
create function public.app_best_draft(p_run uuid)
returns text
language sql stable
as $$
    select coalesce(d.edited_text, d.draft_text) from public.ai_generated_drafts d
    where d.run_id = p_run order by d.rank, d.confidence desc, d.tone limit 1
$$;

revoke execute on function public.app_best_draft from public, anon, authenticated;
grant execute on function public.app_best_draft to service_role;
