-- Accept a draft or apply a recommendation: one job per accepted result, of its run's account.
-- outcome: created | existing (still queued or applying) | retried (after failed or
-- conflict) | already_applied | not_found (unknown, another rep's or account's, or rejected).
-- A draft's job, when created or retried, records the acceptance on the draft: the text
-- going out and its edit distance from the model's text (both computed by the caller).
drop function if exists public.app_request_apply;
create function public.app_request_apply(
    p_portal_id bigint, p_owner text, p_user uuid, p_kind text, p_target uuid, p_payload jsonb,
    p_final_text text default null, p_edit_distance double precision default null
) returns table (job_id uuid, job_status text, outcome text)
language plpgsql
as $$
declare
    v_run_id uuid;
    v_portal_id bigint;
    v_job public.apply_jobs;
begin
    if p_kind = 'draft' then
        select d.run_id, l.hubspot_portal_id into v_run_id, v_portal_id
        from public.ai_generated_drafts d
        join public.ai_processing_logs l on l.id = d.run_id
        where d.id = p_target and l.hubspot_portal_id = p_portal_id
          and l.hubspot_owner_id = p_owner and d.rejected_at is null;
    else
        select r.run_id, l.hubspot_portal_id into v_run_id, v_portal_id
        from public.touch_date_recommendations r
        join public.ai_processing_logs l on l.id = r.run_id
        where r.id = p_target and l.hubspot_portal_id = p_portal_id
          and l.hubspot_owner_id = p_owner;
    end if;
    if v_run_id is null then
        return query select null::uuid, null::text, 'not_found'::text;
        return;
    end if;

    insert into public.apply_jobs
        (idempotency_key, user_id, hubspot_owner_id, run_id, kind, target_id, payload,
         hubspot_portal_id)
    values (p_kind || ':' || p_target, p_user, p_owner, v_run_id, p_kind, p_target,
            coalesce(p_payload, '{}'::jsonb), v_portal_id)
    on conflict (idempotency_key) do nothing
    returning * into v_job;
    if found then
        perform public.app_record_accept(p_kind, p_target, p_final_text, p_edit_distance);
        return query select v_job.id, v_job.status, 'created'::text;
        return;
    end if;

    select * into v_job from public.apply_jobs
    where idempotency_key = p_kind || ':' || p_target for update;
    if v_job.status = 'applied' then
        return query select v_job.id, v_job.status, 'already_applied'::text;
    elsif v_job.status in ('failed', 'conflict') then
        update public.apply_jobs
        set status = 'queued', reason = null, payload = coalesce(p_payload, '{}'::jsonb),
            user_id = p_user, updated_at = now()
        where id = v_job.id;
        perform public.app_record_accept(p_kind, p_target, p_final_text, p_edit_distance);
        return query select v_job.id, 'queued'::text, 'retried'::text;
    else
        return query select v_job.id, v_job.status, 'existing'::text;
    end if;
end
$$;

revoke execute on function public.app_request_apply from public, anon, authenticated;
grant execute on function public.app_request_apply to service_role;
