-- Runs in a status since a time (replay); a function so both stores read it the same way.
drop function if exists public.app_runs_with_status;
create function public.app_runs_with_status(p_status text, p_since timestamptz)
returns table (hubspot_portal_id bigint, activity_id text, activity_type text)
language sql stable
as $$
    select l.hubspot_portal_id, l.activity_id, l.activity_type from public.ai_processing_logs l
    where l.status = p_status and l.created_at >= p_since and l.activity_type is not null
    order by l.created_at
$$;

revoke execute on function public.app_runs_with_status from public, anon, authenticated;
grant execute on function public.app_runs_with_status to service_role;
