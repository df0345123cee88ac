-- Undo a dismissal: the run is back in the rep's inbox. outcome: restored | not_found
drop function if exists public.app_restore_run;
create function public.app_restore_run(p_portal_id bigint, p_owner text, p_run uuid)
returns text
language sql
as $$
    with restored as (
        update public.ai_processing_logs set dismissed_at = null
        where id = p_run and hubspot_portal_id = p_portal_id and hubspot_owner_id = p_owner
        returning 1
    )
    select case when exists (select 1 from restored) then 'restored' else 'not_found' end
$$;

revoke execute on function public.app_restore_run from public, anon, authenticated;
grant execute on function public.app_restore_run to service_role;
