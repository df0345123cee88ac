-- The suggestions a rep has open on some activities (a JSON array of ids: those HubSpot
-- associates with one record): the newest completed run of each, unless dismissed, in
-- app_list_runs' columns plus its drafts and recommendation. Scoped to the rep's account and
-- owner like every listing.
drop function if exists public.app_record_runs;
create function public.app_record_runs(
    p_portal_id bigint, p_owner text, p_activity_ids jsonb
)
returns table (
    id uuid, activity_id text, activity_type text, status text, created_at timestamptz,
    processed_at timestamptz, dismissed_at timestamptz, best_draft text,
    recommended_due timestamptz, flag text, flag_reason text, drafts jsonb,
    recommendation jsonb
)
language sql stable
as $$
    select l.id, l.activity_id, l.activity_type, l.status, l.created_at, l.processed_at,
        l.dismissed_at,
        public.app_best_draft(l.id),
        (select r.recommended_due from public.touch_date_recommendations r
         where r.run_id = l.id),
        l.flag, l.flag_reason,
        coalesce((select jsonb_agg(to_jsonb(d) - 'hubspot_portal_id' order by d.rank, d.confidence desc, d.tone)
                  from public.ai_generated_drafts d where d.run_id = l.id), '[]'::jsonb),
        (select to_jsonb(r) - 'hubspot_portal_id' from public.touch_date_recommendations r where r.run_id = l.id)
    from (
        select distinct on (n.activity_id) n.*
        from public.ai_processing_logs n
        where n.hubspot_portal_id = p_portal_id and n.hubspot_owner_id = p_owner
          and n.status = 'completed'
          and n.activity_id in (select jsonb_array_elements_text(p_activity_ids))
        order by n.activity_id, n.created_at desc, n.id desc
    ) l
    where l.dismissed_at is null
    order by l.created_at desc, l.id desc
$$;

revoke execute on function public.app_record_runs from public, anon, authenticated;
grant execute on function public.app_record_runs to service_role;
