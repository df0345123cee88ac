-- 019: a rep is one account's HubSpot owner. Owner ids are per account (owner 101 of one
-- account and owner 101 of another are different people), so a hand-made mapping names the
-- account as well as the owner, and everything a rep reads or changes is found by both
-- (the functions in functions/ take p_portal_id beside p_owner).
--
-- Mappings made before this migration name no account; `hubspot-ai migrate` adopts them
-- with the rows of migration 018 (app_adopt_rows: the static token's account). Until then
-- they map nobody. The check is NOT VALID for their sake only: every mapping made or changed
-- from now on must name its account.
alter table public.rep_owners
    add constraint rep_owners_names_its_account check (hubspot_portal_id is not null) not valid;

-- The rep of an (account, owner): what every run queued or moved looks up.
drop index public.rep_owners_portal_idx;
create index rep_owners_portal_owner_idx
    on public.rep_owners (hubspot_portal_id, hubspot_owner_id, created_at);
