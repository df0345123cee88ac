-- A hand-made mapping takes effect on what is already stored, too: the runs of its account's
-- owner (and of the one it mapped before, when changed or adopted). The trigger lives here
-- with its function: the function cannot be dropped while the trigger uses it.
drop trigger if exists rep_owners_changed on public.rep_owners;
drop function if exists public.app_rep_owners_changed;
create function public.app_rep_owners_changed()
returns trigger
language plpgsql
as $$
begin
    update public.ai_processing_logs
    set user_id = public.app_user_for_owner(hubspot_portal_id, hubspot_owner_id, null)
    where (hubspot_portal_id = new.hubspot_portal_id and hubspot_owner_id = new.hubspot_owner_id)
       or (tg_op = 'UPDATE' and hubspot_portal_id = old.hubspot_portal_id
           and hubspot_owner_id = old.hubspot_owner_id);
    return null;
end
$$;
create trigger rep_owners_changed after insert or update on public.rep_owners
    for each row execute function public.app_rep_owners_changed();

revoke execute on function public.app_rep_owners_changed from public, anon, authenticated;
grant execute on function public.app_rep_owners_changed to service_role;
