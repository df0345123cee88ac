-- One page of a rep's runs (their account's owner's), newest first (keyset paging on created_at, id).
-- p_dismissed: null lists all, false only runs not dismissed, true only dismissed ones.
-- Each row carries its run's flag, so a rep sees an opt-out or a threat without opening it.
drop function if exists public.app_list_runs;
create function public.app_list_runs(
    p_portal_id bigint, p_owner text, p_status text, p_type text, p_dismissed boolean,
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
        public.app_best_draft(l.id),
        (select r.recommended_due from public.touch_date_recommendations r
         where r.run_id = l.id),
        l.flag, l.flag_reason
    from public.ai_processing_logs l
    where l.hubspot_portal_id = p_portal_id and l.hubspot_owner_id = p_owner
      and (p_status is null or l.status = p_status)
      and (p_type is null or l.activity_type = p_type)
      and (p_dismissed is null or (l.dismissed_at is not null) = p_dismissed)
      and (p_before_created is null or (l.created_at, l.id) < (p_before_created, p_before_id))
    order by l.created_at desc, l.id desc
    limit least(greatest(p_limit, 1), 101)  -- one more than a page: is there a next page?
$$;

revoke execute on function public.app_list_runs from public, anon, authenticated;
grant execute on function public.app_list_runs to service_role;
