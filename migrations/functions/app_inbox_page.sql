-- One page of a rep's inbox (app_inbox_all) and the counts of every state, from one pass:
-- {"entries": [...], "counts": {"to_do": n, ...}}. The entries are those in p_state (null:
-- every state) in p_order, after the cursor (p_after_key, p_after_id) when one is given, each
-- with its best draft and its follow-up due date (as applied, else as recommended); the
-- counts follow the type filter only. Sorts after app_inbox_all, which its body calls.
drop function if exists public.app_inbox_page;
create function public.app_inbox_page(
    p_portal_id bigint, p_owner text, p_state text, p_type text, p_order text,
    p_after_key text, p_after_id uuid, p_limit integer
) returns jsonb
language sql stable
as $$
    with everything as materialized (
        select * from public.app_inbox_all(p_portal_id, p_owner, p_type, p_order)
    ), page as (
        select * from everything a
        where (p_state is null or a.state = p_state)
          and (p_after_key is null or (a.sort_key, a.id) > (p_after_key::numeric, p_after_id))
        order by a.sort_key, a.id
        limit least(greatest(p_limit, 1), 101)  -- one more than a page: is there a next page?
    )
    select jsonb_build_object(
        'entries', coalesce((
            select jsonb_agg(jsonb_build_object(
                'id', e.id, 'activity_id', e.activity_id, 'activity_type', e.activity_type,
                'status', e.status, 'created_at', e.created_at,
                'processed_at', e.processed_at, 'dismissed_at', e.dismissed_at,
                'best_draft', public.app_best_draft(e.id),
                'recommended_due', (
                    select coalesce(r.applied_due, r.recommended_due)
                    from public.touch_date_recommendations r where r.run_id = e.id),
                'flag', e.flag, 'flag_reason', e.flag_reason, 'state', e.state,
                'state_reason', e.state_reason, 'state_detail', e.state_detail,
                'sort_key', e.sort_key::text  -- text, so that a cursor carries it exactly
            ) order by e.sort_key, e.id)
            from page e), '[]'::jsonb),
        'counts', coalesce((
            select jsonb_object_agg(c.state, c.entries)
            from (select state, count(*) as entries from everything group by state) c
        ), '{}'::jsonb)
    )
$$;

revoke execute on function public.app_inbox_page from public, anon, authenticated;
grant execute on function public.app_inbox_page to service_role;
