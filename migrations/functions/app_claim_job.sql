-- Take a queued job (or one whose worker died, after the lease) and return what applying it
-- needs: the job, the run it belongs to, and the accepted draft or recommendation.
-- The jobs of one run take turns: accepting a draft and applying the dates of the same note
-- at once would otherwise make two follow-up tasks, each job seeing no task yet. A claim
-- locks the run's row and answers busy while another job of the run is applying within its
-- lease; the job stays queued, and whoever finishes wakes it (app_waiting_jobs), so the later
-- job finds the task the earlier one created and updates it.
drop function if exists public.app_claim_job;
create function public.app_claim_job(p_job uuid, p_lease_seconds integer)
returns jsonb
language plpgsql
as $$
declare
    v_run_id uuid;
    v_claimed public.apply_jobs;
begin
    select j.run_id into v_run_id from public.apply_jobs j where j.id = p_job;
    if not found then
        return null;
    end if;
    -- Claims of the same run's jobs queue up here, so two cannot both see no one applying.
    perform 1 from public.ai_processing_logs l where l.id = v_run_id for update;
    if exists (
        select 1 from public.apply_jobs j
        where j.run_id = v_run_id and j.id <> p_job and j.status = 'applying'
          and j.started_at >= now() - make_interval(secs => p_lease_seconds)
    ) then
        return jsonb_build_object('busy', true);
    end if;

    update public.apply_jobs
    set status = 'applying', started_at = now(), attempts = attempts + 1, updated_at = now()
    where id = p_job
      and (status = 'queued'
           or (status = 'applying'
               and started_at < now() - make_interval(secs => p_lease_seconds)))
    returning * into v_claimed;
    if not found then
        return null;
    end if;

    return (
        select to_jsonb(v_claimed) || jsonb_build_object(
            'busy', false,
            'run', to_jsonb(l) - 'input_notes',
            -- versions of this activity that our own earlier write-backs produced
            'own_versions', coalesce((
                select jsonb_agg(j.written_version) from public.apply_jobs j
                where j.hubspot_object_id = l.activity_id and j.written_version is not null
                  and j.hubspot_portal_id is not distinct from l.hubspot_portal_id
                  and j.id <> v_claimed.id), '[]'::jsonb),
            'draft', (select to_jsonb(d) from public.ai_generated_drafts d
                      where v_claimed.kind = 'draft' and d.id = v_claimed.target_id),
            -- the run's recommendation: its dates go on any task the job writes
            'recommendation', (select to_jsonb(r) from public.touch_date_recommendations r
                               where r.run_id = v_claimed.run_id),
            -- the follow-up task an earlier job of the same run created, to update, not repeat
            'run_task_id', (select j.hubspot_object_id from public.apply_jobs j
                            where j.run_id = v_claimed.run_id and j.id <> v_claimed.id
                              and j.hubspot_object_id is not null
                              and j.hubspot_object_id <> l.activity_id
                            order by j.created_at limit 1)
        )
        from public.ai_processing_logs l where l.id = v_claimed.run_id
    );
end
$$;

revoke execute on function public.app_claim_job from public, anon, authenticated;
grant execute on function public.app_claim_job to service_role;
