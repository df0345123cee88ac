-- How many of a rep's inbox entries are in each state (app_inbox_all), for the tabs.
drop function if exists public.app_inbox_counts;
create function public.app_inbox_counts(p_owner text, p_type text)
returns table (state text, entries bigint)
language sql stable
as $$
    select e.state, count(*) from public.app_inbox_all(p_owner, p_type, 'newest') e
    group by e.state
$$;

revoke execute on function public.app_inbox_counts from public, anon, authenticated;
grant execute on function public.app_inbox_counts to service_role;
