-- 021: an activity version has one run per HubSpot account. Object ids are only unique
-- within an account, so two accounts' activities with the same id and version are two
-- runs, not one. Rows stored before 018 (no account yet, until adopted) count as one account.
alter table public.ai_processing_logs
    drop constraint ai_processing_logs_activity_version_key;
alter table public.ai_processing_logs
    add constraint ai_processing_logs_activity_version_key
    unique nulls not distinct (hubspot_portal_id, activity_id, activity_version);
