-- What reps of the account p_portal_id did with the drafts of runs created since p_since: one
-- owner's (p_owner), or the whole team's (p_owner null). The same figures for all drafts, by tone, by activity type, by
-- model, by prompt version (both from the run's confidence_scores) and by week (Monday, UTC,
-- of the run). acceptance_rate: accepted / (accepted + rejected), null before any decision;
-- edited_share and mean_edit_distance are over the accepted drafts.
drop function if exists public.app_insights;
create function public.app_insights(p_portal_id bigint, p_owner text, p_since timestamptz)
returns jsonb
language sql stable
as $$
    with drafts as (
        select d.tone,
               coalesce(l.activity_type, 'unknown') as activity_type,
               coalesce(l.confidence_scores ->> 'model', 'unknown') as model,
               coalesce(l.confidence_scores ->> 'prompt_version', 'unknown') as prompt_version,
               (date_trunc('week', l.created_at at time zone 'UTC'))::date::text as week,
               d.accepted_at is not null as accepted,
               d.rejected_at is not null as rejected,
               d.reject_reason,
               d.edit_distance
        from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.run_id
        where l.hubspot_portal_id = p_portal_id and l.created_at >= p_since
          and (p_owner is null or l.hubspot_owner_id = p_owner)
    ),
    grouped as (
        -- grouping(): one bit per column, set when the row is not grouped by it (tone first).
        select grouping(tone, activity_type, model, prompt_version, week) as grouped_by,
               coalesce(tone, activity_type, model, prompt_version, week) as key,
               jsonb_build_object(
                   'offered', count(*),
                   'accepted', count(*) filter (where accepted),
                   'rejected', count(*) filter (where rejected),
                   'acceptance_rate', round(
                       (count(*) filter (where accepted))::numeric
                       / nullif(count(*) filter (where accepted or rejected), 0), 4),
                   'edited', count(*) filter (where edit_distance > 0),
                   'edited_share', round(
                       (count(*) filter (where edit_distance > 0))::numeric
                       / nullif(count(*) filter (where accepted), 0), 4),
                   'mean_edit_distance', round(avg(edit_distance)::numeric, 4),
                   'reject_reasons', jsonb_build_object(
                       'wrong_facts', count(*) filter (where reject_reason = 'wrong_facts'),
                       'wrong_tone', count(*) filter (where reject_reason = 'wrong_tone'),
                       'not_needed', count(*) filter (where reject_reason = 'not_needed'),
                       'other', count(*) filter (where reject_reason = 'other'))
               ) as figures
        from drafts
        group by grouping sets ((), (tone), (activity_type), (model), (prompt_version), (week))
    )
    select jsonb_build_object(
        'since', p_since,
        'total', (select figures from grouped where grouped_by = 31),
        'by_tone', public.app_insight_group(
            (select jsonb_agg(g) from grouped g where grouped_by = 15)),
        'by_activity_type', public.app_insight_group(
            (select jsonb_agg(g) from grouped g where grouped_by = 23)),
        'by_model', public.app_insight_group(
            (select jsonb_agg(g) from grouped g where grouped_by = 27)),
        'by_prompt_version', public.app_insight_group(
            (select jsonb_agg(g) from grouped g where grouped_by = 29)),
        'weekly', public.app_insight_group(
            (select jsonb_agg(g) from grouped g where grouped_by = 30))
    )
$$;

revoke execute on function public.app_insights from public, anon, authenticated;
grant execute on function public.app_insights to service_role;
