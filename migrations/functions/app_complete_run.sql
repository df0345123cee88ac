-- Store a run's results and complete it, all or nothing. Only a run in 'processing' can
-- complete, so a late duplicate cannot write a second set of drafts. A flagged run (the
-- activity asks not to be contacted, or threatens legal action) completes with no drafts and
-- no date; an angry customer's run (hostile) is flagged and keeps its drafts.
drop function if exists public.app_complete_run;
create function public.app_complete_run(
    p_run_id uuid, p_drafts jsonb, p_recommendation jsonb, p_opportunity jsonb,
    p_scores jsonb, p_flag text, p_flag_reason text
) returns boolean
language plpgsql
as $$
declare
    v_run public.ai_processing_logs;
begin
    update public.ai_processing_logs
    set status = 'completed', processed_at = now(), finished_at = now(),
        confidence_scores = coalesce(p_scores, '{}'::jsonb),
        flag = p_flag, flag_reason = p_flag_reason
    where id = p_run_id and status = 'processing'
    returning * into v_run;
    if not found then
        return false;
    end if;

    -- The drafts come ranked: their order is their rank. Every result is its run's account's.
    insert into public.ai_generated_drafts
        (activity_id, run_id, draft_text, tone, confidence, rank, hubspot_portal_id)
    select v_run.activity_id, v_run.id, d ->> 'text', d ->> 'tone', (d ->> 'confidence')::numeric,
           (n - 1)::smallint, v_run.hubspot_portal_id
    from jsonb_array_elements(coalesce(p_drafts, '[]'::jsonb)) with ordinality as t (d, n);

    if p_recommendation is not null and p_recommendation <> 'null'::jsonb then
        insert into public.touch_date_recommendations
            (activity_id, run_id, recommended_start, recommended_due, confidence, rationale,
             hubspot_portal_id)
        values (v_run.activity_id, v_run.id,
                (p_recommendation ->> 'recommended_start')::timestamptz,
                (p_recommendation ->> 'recommended_due')::timestamptz,
                (p_recommendation ->> 'confidence')::numeric,
                p_recommendation ->> 'rationale', v_run.hubspot_portal_id);
    end if;

    if p_opportunity is not null and p_opportunity <> 'null'::jsonb then
        insert into public.opportunities
            (user_id, hubspot_activity_id, probability, status, hubspot_portal_id)
        values (v_run.user_id, v_run.activity_id, (p_opportunity ->> 'probability')::numeric,
                p_opportunity ->> 'status', v_run.hubspot_portal_id)
        on conflict (hubspot_activity_id) do update
        set probability = excluded.probability, status = excluded.status,
            hubspot_portal_id = excluded.hubspot_portal_id, updated_at = now();
    end if;
    return true;
end
$$;

revoke execute on function public.app_complete_run from public, anon, authenticated;
grant execute on function public.app_complete_run to service_role;
