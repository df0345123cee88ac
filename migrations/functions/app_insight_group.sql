-- One breakdown of app_insights: its grouped rows as [{key, ...figures}], ordered by key.
drop function if exists public.app_insight_group;
create function public.app_insight_group(p_rows jsonb)
returns jsonb
language sql immutable
as $$
    select coalesce(jsonb_agg(r -> 'figures' || jsonb_build_object('key', r ->> 'key')
                              order by r ->> 'key'), '[]'::jsonb)
    from jsonb_array_elements(coalesce(p_rows, '[]'::jsonb)) as r
$$;

revoke execute on function public.app_insight_group from public, anon, authenticated;
grant execute on function public.app_insight_group to service_role;
