-- The activity a draft, recommendation or run belongs to, its account and its stored owner,
-- so the API can ask that account in HubSpot who owns it before acting.
drop function if exists public.app_activity_of;
create function public.app_activity_of(p_kind text, p_id uuid)
returns table (
    activity_id text, activity_type text, hubspot_portal_id bigint, hubspot_owner_id text
)
language sql stable
as $$
    select l.activity_id, l.activity_type, l.hubspot_portal_id, l.hubspot_owner_id
    from public.ai_processing_logs l
    where l.id = case p_kind
        when 'draft' then (select d.run_id from public.ai_generated_drafts d where d.id = p_id)
        when 'recommendation' then
            (select r.run_id from public.touch_date_recommendations r where r.id = p_id)
        when 'run' then p_id
    end
$$;

revoke execute on function public.app_activity_of from public, anon, authenticated;
grant execute on function public.app_activity_of to service_role;
