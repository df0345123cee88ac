-- Everything stored for one activity of the account p_portal_id, whoever it belonged to: its
-- runs, newest first, each with its drafts, recommendation and apply jobs. The caller has
-- checked with HubSpot that the asking rep owns the activity now. Null when there is no run
-- of it in that account.
drop function if exists public.app_activity_runs;
create function public.app_activity_runs(p_portal_id bigint, p_activity_id text)
returns jsonb
language sql stable
as $$
    select jsonb_agg(run order by run ->> 'created_at' desc)
    from (
        select to_jsonb(l) - 'input_notes' || jsonb_build_object(
            'drafts', coalesce((
                select jsonb_agg(to_jsonb(d) order by d.rank, d.confidence desc, d.tone)
                from public.ai_generated_drafts d where d.run_id = l.id), '[]'::jsonb),
            'recommendation', (
                select to_jsonb(r) from public.touch_date_recommendations r
                where r.run_id = l.id),
            'jobs', coalesce((
                select jsonb_agg(to_jsonb(j) - 'payload' order by j.created_at)
                from public.apply_jobs j where j.run_id = l.id), '[]'::jsonb)
        ) as run
        from public.ai_processing_logs l
        where l.activity_id = p_activity_id and l.hubspot_portal_id = p_portal_id
    ) runs
$$;

revoke execute on function public.app_activity_runs from public, anon, authenticated;
grant execute on function public.app_activity_runs to service_role;
