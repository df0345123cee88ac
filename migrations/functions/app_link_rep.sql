-- A rep whose owner is learned from their email (on sign-in, or a signed request from the
-- app card) gets that account's owner's runs stored before anyone knew who they were.
drop function if exists public.app_link_rep;
create function public.app_link_rep(p_user uuid, p_portal_id bigint, p_owner text)
returns integer
language plpgsql
as $$
declare
    v_linked integer;
begin
    update public.ai_processing_logs set user_id = p_user
    where hubspot_portal_id = p_portal_id and hubspot_owner_id = p_owner and user_id is null;
    get diagnostics v_linked = row_count;
    update public.opportunities o set user_id = p_user, updated_at = now()
    where o.user_id is null and o.hubspot_portal_id = p_portal_id and exists (
        select 1 from public.ai_processing_logs l
        where l.activity_id = o.hubspot_activity_id and l.hubspot_portal_id = p_portal_id
          and l.hubspot_owner_id = p_owner);
    return v_linked;
end
$$;

revoke execute on function public.app_link_rep from public, anon, authenticated;
grant execute on function public.app_link_rep to service_role;
