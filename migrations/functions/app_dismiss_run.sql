-- Dismiss one of a rep's runs (app_restore_run undoes it). outcome: dismissed | not_found
drop function if exists public.app_dismiss_run;
create function public.app_dismiss_run(p_portal_id bigint, p_owner text, p_run uuid)
returns text
language sql
as $$
    with dismissed as (
        update public.ai_processing_logs set dismissed_at = coalesce(dismissed_at, now())
        where id = p_run and hubspot_portal_id = p_portal_id and hubspot_owner_id = p_owner
        returning 1
    )
    select case when exists (select 1 from dismissed) then 'dismissed' else 'not_found' end
$$;

revoke execute on function public.app_dismiss_run from public, anon, authenticated;
grant execute on function public.app_dismiss_run to service_role;
