-- An uninstalled account's rows, deleted once its grace period is over (it is one of
-- app_accounts_to_purge), in one transaction: its runs with the activities' notes, their
-- drafts with what reps made of them (edited and accepted texts, reject notes), the date
-- recommendations and their rationales, the apply jobs with the accepted texts and the
-- subjects of the tasks they wrote, the opportunities, and the rep mappings and sessions
-- of its reps. Records the purge (purged_at) and returns how many rows of each table went;
-- no row when the account is not due (connected again, in its grace period, or purged
-- already), so a second call does nothing.
--
-- Deleted, not blanked as a contact's privacy deletion blanks its texts: that deletion
-- leaves the rest of the account working, while here nothing of the account remains to be
-- shown or applied (its reps lost it with the install), its ids, owners and dates are its
-- data as much as the texts, and a new install starts afresh (new events make new runs).
-- privacy_deletions stays: it holds no text, only that those deletions were carried out.
drop function if exists public.app_purge_account;
create function public.app_purge_account(p_portal_id bigint)
returns table (
    runs integer, drafts integer, recommendations integer, opportunities integer,
    jobs integer, rep_owners integer, sessions integer
)
language plpgsql
as $$
begin
    -- The account's row stays locked until the purge commits: an install arriving meanwhile
    -- (app_install_account) waits, and then finds nothing of the old install's.
    perform 1 from public.hubspot_accounts a where a.portal_id = p_portal_id for update;
    if not exists (
        select 1 from public.app_accounts_to_purge() due where due.portal_id = p_portal_id
    ) then
        return;
    end if;
    -- A run's results carry its account; deleting the runs would cascade to them anyway,
    -- but each is deleted by itself to be counted.
    delete from public.apply_jobs where hubspot_portal_id = p_portal_id;
    get diagnostics jobs = row_count;
    delete from public.ai_generated_drafts where hubspot_portal_id = p_portal_id;
    get diagnostics drafts = row_count;
    delete from public.touch_date_recommendations where hubspot_portal_id = p_portal_id;
    get diagnostics recommendations = row_count;
    delete from public.ai_processing_logs where hubspot_portal_id = p_portal_id;
    get diagnostics runs = row_count;
    delete from public.opportunities where hubspot_portal_id = p_portal_id;
    get diagnostics opportunities = row_count;
    delete from public.rep_owners where hubspot_portal_id = p_portal_id;
    get diagnostics rep_owners = row_count;
    delete from public.sessions where hubspot_portal_id = p_portal_id;
    get diagnostics sessions = row_count;
    update public.hubspot_accounts set purged_at = now(), updated_at = now()
    where portal_id = p_portal_id;
    return next;
end
$$;

revoke execute on function public.app_purge_account from public, anon, authenticated;
grant execute on function public.app_purge_account to service_role;
