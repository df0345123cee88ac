-- 008: a result belongs to the activity's owner in HubSpot now, and to that owner's rep.
--
-- Every run of an activity carries the owner HubSpot last reported for it: a new version
-- with another owner (HubSpot reassigned it) moves the activity's earlier runs along, and
-- the API moves them when it reads an owner that differs. user_id is the rep that owner
-- maps to (a rep_owners row, else the auth user with the owner's email), so a rep reading
-- through Supabase directly sees their own results under row level security; the policies
-- below follow a draft or recommendation to its run (log_id), not to any run of the same
-- activity, and reps may change only the columns that record their choice.
-- The functions that move runs and find an owner's rep are in functions/ (app_user_for_owner,
-- app_rehome_activity, app_queue_run, app_link_rep, app_rep_owners_changed and its trigger).

-- Row level security: a draft or recommendation is a rep's when its own run is.
drop policy "drafts: read own" on public.ai_generated_drafts;
drop policy "drafts: select own" on public.ai_generated_drafts;
drop policy "recommendations: read own" on public.touch_date_recommendations;
drop policy "recommendations: apply own" on public.touch_date_recommendations;

create policy "drafts: read own" on public.ai_generated_drafts
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ));
create policy "drafts: select own" on public.ai_generated_drafts
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ))
    with check (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = ai_generated_drafts.log_id and log.user_id = (select auth.uid())
    ));

create policy "recommendations: read own" on public.touch_date_recommendations
    for select to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ));
create policy "recommendations: apply own" on public.touch_date_recommendations
    for update to authenticated
    using (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ))
    with check (exists (
        select 1 from public.ai_processing_logs as log
        where log.id = touch_date_recommendations.log_id and log.user_id = (select auth.uid())
    ));

-- What a rep may change directly: their choice (selected, applied, an opportunity's status)
-- and their session's metadata; the rest is the pipeline's and the apply workers'.
revoke insert, update, delete on public.ai_processing_logs, public.ai_generated_drafts,
    public.touch_date_recommendations, public.opportunities, public.apply_jobs,
    public.rep_owners from anon, authenticated;
revoke all on public.sessions from anon;
grant update (selected) on public.ai_generated_drafts to authenticated;
grant update (applied) on public.touch_date_recommendations to authenticated;
grant update (status) on public.opportunities to authenticated;
