-- 011: a run can end with nothing to send. When the activity asks not to be contacted
-- (opt_out) or threatens legal action (legal), the run completes with no drafts and no date,
-- flagged with the reason for the rep. An angry customer's run (hostile) is flagged too, and
-- keeps its drafts: an apology and a concrete next step.

alter table public.ai_processing_logs
    add column flag text check (flag in ('opt_out', 'legal', 'hostile')),
    add column flag_reason text check (char_length(flag_reason) <= 300);

-- New parameters make a new function: drop the old signature so no overload is left for
-- PostgREST to choose between.
drop function public.app_complete_run(uuid, jsonb, jsonb, jsonb, jsonb);

create function public.app_complete_run(
    p_log_id uuid, p_drafts jsonb, p_recommendation jsonb, p_opportunity jsonb,
    p_scores jsonb, p_flag text, p_flag_reason text
) returns boolean
language plpgsql
as $$
declare
    v_log public.ai_processing_logs;
begin
    update public.ai_processing_logs
    set status = 'completed', processed_at = now(), finished_at = now(),
        confidence_scores = coalesce(p_scores, '{}'::jsonb),
        flag = p_flag, flag_reason = p_flag_reason
    where id = p_log_id and status = 'processing'
    returning * into v_log;
    if not found then
        return false;
    end if;

    insert into public.ai_generated_drafts (activity_id, log_id, draft_text, tone, confidence)
    select v_log.activity_id, v_log.id, d ->> 'text', d ->> 'tone', (d ->> 'confidence')::numeric
    from jsonb_array_elements(coalesce(p_drafts, '[]'::jsonb)) as d;

    if p_recommendation is not null and p_recommendation <> 'null'::jsonb then
        insert into public.touch_date_recommendations
            (activity_id, log_id, recommended_start, recommended_due, confidence, rationale)
        values (v_log.activity_id, v_log.id,
                (p_recommendation ->> 'recommended_start')::timestamptz,
                (p_recommendation ->> 'recommended_due')::timestamptz,
                (p_recommendation ->> 'confidence')::numeric,
                p_recommendation ->> 'rationale');
    end if;

    if p_opportunity is not null and p_opportunity <> 'null'::jsonb then
        insert into public.opportunities (user_id, hubspot_activity_id, probability, status)
        values (v_log.user_id, v_log.activity_id, (p_opportunity ->> 'probability')::numeric,
                p_opportunity ->> 'status')
        on conflict (hubspot_activity_id) do update
        set probability = excluded.probability, status = excluded.status, updated_at = now();
    end if;
    return true;
end
$$;

-- The inbox lists a run's flag, so a rep sees an opt-out or a threat without opening it.
drop function public.app_list_results(text, text, text, boolean, timestamptz, uuid, integer);

create function public.app_list_results(
    p_owner text, p_status text, p_type text, p_dismissed boolean,
    p_before_created timestamptz, p_before_id uuid, p_limit integer
) returns table (
    id uuid, activity_id text, activity_type text, status text, created_at timestamptz,
    processed_at timestamptz, dismissed_at timestamptz, best_draft text,
    recommended_due timestamptz, flag text, flag_reason text
)
language sql stable
as $$
    select l.id, l.activity_id, l.activity_type, l.status, l.created_at, l.processed_at,
        l.dismissed_at,
        (select coalesce(d.edited_text, d.draft_text) from public.ai_generated_drafts d
         where d.log_id = l.id order by d.confidence desc, d.tone limit 1),
        (select r.recommended_due from public.touch_date_recommendations r
         where r.log_id = l.id),
        l.flag, l.flag_reason
    from public.ai_processing_logs l
    where l.hubspot_owner_id = p_owner
      and (p_status is null or l.status = p_status)
      and (p_type is null or l.activity_type = p_type)
      and (p_dismissed is null or (l.dismissed_at is not null) = p_dismissed)
      and (p_before_created is null or (l.created_at, l.id) < (p_before_created, p_before_id))
    order by l.created_at desc, l.id desc
    limit least(greatest(p_limit, 1), 101)  -- one more than a page: is there a next page?
$$;

do $$
declare
    fn text;
begin
    foreach fn in array array[
        'public.app_complete_run(uuid, jsonb, jsonb, jsonb, jsonb, text, text)',
        'public.app_list_results(text, text, text, boolean, timestamptz, uuid, integer)'
    ] loop
        execute format('revoke execute on function %s from public, anon, authenticated', fn);
        execute format('grant execute on function %s to service_role', fn);
    end loop;
end
$$;
