-- Give the rows stored before each row knew its HubSpot account (a single-account install's)
-- to the account p_portal_id: its runs, then every result of a run its run's account, and
-- the rep mappings and sessions. Rows already owned keep their account. Returns how many
-- rows of each table were adopted.
drop function if exists public.app_adopt_rows;
create function public.app_adopt_rows(p_portal_id bigint)
returns table (
    runs integer, drafts integer, recommendations integer, opportunities integer,
    jobs integer, rep_owners integer, sessions integer
)
language plpgsql
as $$
begin
    update public.ai_processing_logs set hubspot_portal_id = p_portal_id
    where hubspot_portal_id is null;
    get diagnostics runs = row_count;
    update public.ai_generated_drafts d set hubspot_portal_id = l.hubspot_portal_id
    from public.ai_processing_logs l
    where l.id = d.run_id and d.hubspot_portal_id is null;
    get diagnostics drafts = row_count;
    update public.touch_date_recommendations r set hubspot_portal_id = l.hubspot_portal_id
    from public.ai_processing_logs l
    where l.id = r.run_id and r.hubspot_portal_id is null;
    get diagnostics recommendations = row_count;
    update public.apply_jobs j set hubspot_portal_id = l.hubspot_portal_id
    from public.ai_processing_logs l
    where l.id = j.run_id and j.hubspot_portal_id is null;
    get diagnostics jobs = row_count;
    -- An opportunity is one per activity; any of the activity's runs names its account.
    update public.opportunities o set hubspot_portal_id = coalesce(
        (select l.hubspot_portal_id from public.ai_processing_logs l
         where l.activity_id = o.hubspot_activity_id limit 1), p_portal_id)
    where o.hubspot_portal_id is null;
    get diagnostics opportunities = row_count;
    update public.rep_owners set hubspot_portal_id = p_portal_id where hubspot_portal_id is null;
    get diagnostics rep_owners = row_count;
    update public.sessions set hubspot_portal_id = p_portal_id where hubspot_portal_id is null;
    get diagnostics sessions = row_count;
    return next;
end
$$;

revoke execute on function public.app_adopt_rows from public, anon, authenticated;
grant execute on function public.app_adopt_rows to service_role;
