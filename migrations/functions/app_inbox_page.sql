-- One page of a rep's inbox (app_inbox_all): the entries in p_state (null: every state)
-- in p_order, after the cursor (p_after_key, p_after_id) when one is given. Sorts after
-- app_inbox_all, which its body calls.
drop function if exists public.app_inbox_page;
create function public.app_inbox_page(
    p_owner text, p_state text, p_type text, p_order text,
    p_after_key text, p_after_id uuid, p_limit integer
) returns table (
    id uuid, activity_id text, activity_type text, status text, created_at timestamptz,
    processed_at timestamptz, dismissed_at timestamptz, best_draft text,
    recommended_due timestamptz, flag text, flag_reason text,
    state text, state_reason text, state_detail text, sort_key text
)
language sql stable
as $$
    select e.* from public.app_inbox_all(p_owner, p_type, p_order) e
    where (p_state is null or e.state = p_state)
      and (p_after_key is null
           or (e.sort_key::numeric, e.id) > (p_after_key::numeric, p_after_id))
    order by e.sort_key::numeric, e.id
    limit least(greatest(p_limit, 1), 101)  -- one more than a page: is there a next page?
$$;

revoke execute on function public.app_inbox_page from public, anon, authenticated;
grant execute on function public.app_inbox_page to service_role;
