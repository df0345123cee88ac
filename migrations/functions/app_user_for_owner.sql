-- The rep an account's owner maps to: a hand-made mapping in that account first (the
-- oldest), else the auth user whose email is the owner's, unless a hand-made mapping makes
-- that user someone else (a rep is one account's owner).
drop function if exists public.app_user_for_owner;
create function public.app_user_for_owner(
    p_portal_id bigint, p_owner text, p_owner_email text
) returns uuid
language sql stable
as $$
    select coalesce(
        (select o.user_id from public.rep_owners o
         where o.hubspot_portal_id = p_portal_id and o.hubspot_owner_id = p_owner
         order by o.created_at, o.user_id limit 1),
        (select u.id from auth.users u
         where p_owner_email is not null and lower(u.email) = lower(p_owner_email)
           and not exists (select 1 from public.rep_owners o
                           where o.user_id = u.id and o.hubspot_portal_id is not null)
         order by u.created_at limit 1)
    )
$$;

revoke execute on function public.app_user_for_owner from public, anon, authenticated;
grant execute on function public.app_user_for_owner to service_role;
