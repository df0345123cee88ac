-- How many rows of each table have no HubSpot account yet (what app_adopt_rows would adopt).
drop function if exists public.app_unowned_rows;
create function public.app_unowned_rows()
returns table (
    runs bigint, drafts bigint, recommendations bigint, opportunities bigint,
    jobs bigint, rep_owners bigint, sessions bigint
)
language sql
stable
as $$
    select
        (select count(*) from public.ai_processing_logs where hubspot_portal_id is null),
        (select count(*) from public.ai_generated_drafts where hubspot_portal_id is null),
        (select count(*) from public.touch_date_recommendations where hubspot_portal_id is null),
        (select count(*) from public.opportunities where hubspot_portal_id is null),
        (select count(*) from public.apply_jobs where hubspot_portal_id is null),
        (select count(*) from public.rep_owners where hubspot_portal_id is null),
        (select count(*) from public.sessions where hubspot_portal_id is null)
$$;

revoke execute on function public.app_unowned_rows from public, anon, authenticated;
grant execute on function public.app_unowned_rows to service_role;
