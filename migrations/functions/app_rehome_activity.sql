-- Move every run of an account's activity (and its opportunity) to this owner of the account
-- and their rep. Returns how many runs moved. p_portal_id null: runs stored before every row
-- knew its account and not adopted yet (their owner is still the static token's account's).
drop function if exists public.app_rehome_activity;
create function public.app_rehome_activity(
    p_portal_id bigint, p_activity_id text, p_owner text, p_owner_email text
) returns integer
language plpgsql
as $$
declare
    v_user uuid := public.app_user_for_owner(p_portal_id, p_owner, p_owner_email);
    v_moved integer;
begin
    update public.ai_processing_logs
    set hubspot_owner_id = p_owner, user_id = v_user
    where activity_id = p_activity_id and hubspot_portal_id is not distinct from p_portal_id
      and (hubspot_owner_id is distinct from p_owner or user_id is distinct from v_user);
    get diagnostics v_moved = row_count;
    update public.opportunities set user_id = v_user, updated_at = now()
    where hubspot_activity_id = p_activity_id
      and hubspot_portal_id is not distinct from p_portal_id
      and user_id is distinct from v_user;
    return v_moved;
end
$$;

revoke execute on function public.app_rehome_activity from public, anon, authenticated;
grant execute on function public.app_rehome_activity to service_role;
