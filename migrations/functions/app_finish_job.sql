-- Finish a job: applied (and mark the draft selected or the recommendation applied, with the
-- dates actually written), failed (retryable by accepting again) or conflict.
drop function if exists public.app_finish_job;
create function public.app_finish_job(p_job uuid, p_status text, p_reason text)
returns boolean
language plpgsql
as $$
declare
    v_job public.apply_jobs;
begin
    update public.apply_jobs
    set status = p_status, reason = left(p_reason, 1000), finished_at = now(), updated_at = now()
    where id = p_job and status = 'applying' and p_status in ('applied', 'failed', 'conflict')
    returning * into v_job;
    if not found then
        return false;
    end if;
    if p_status = 'applied' and v_job.kind = 'draft' then
        update public.ai_generated_drafts
        set selected = true, edited_text = v_job.payload ->> 'text'
        where id = v_job.target_id;
    elsif p_status = 'applied' then
        update public.touch_date_recommendations
        set applied = true,
            applied_start = coalesce((v_job.payload ->> 'recommended_start')::timestamptz,
                                     recommended_start),
            applied_due = coalesce((v_job.payload ->> 'recommended_due')::timestamptz,
                                   recommended_due)
        where id = v_job.target_id;
    end if;
    return true;
end
$$;

revoke execute on function public.app_finish_job from public, anon, authenticated;
grant execute on function public.app_finish_job to service_role;
