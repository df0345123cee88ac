-- 012: a processing run has one name in the code and the API: "run". The table keeps the data
-- model's name, ai_processing_logs; the columns, indexes and constraints that point at one of
-- its rows now say run_id. The functions that listed "results" are app_list_runs and
-- app_activity_runs (their files in functions/ create them after this migration).

alter table public.ai_generated_drafts rename column log_id to run_id;
alter table public.touch_date_recommendations rename column log_id to run_id;
alter table public.apply_jobs rename column log_id to run_id;

alter index public.ai_generated_drafts_log_idx rename to ai_generated_drafts_run_idx;
alter table public.touch_date_recommendations
    rename constraint touch_date_recommendations_log_key to touch_date_recommendations_run_key;
alter table public.ai_generated_drafts
    rename constraint ai_generated_drafts_log_id_fkey to ai_generated_drafts_run_id_fkey;
alter table public.touch_date_recommendations
    rename constraint touch_date_recommendations_log_id_fkey
    to touch_date_recommendations_run_id_fkey;
alter table public.apply_jobs rename constraint apply_jobs_log_id_fkey to apply_jobs_run_id_fkey;

drop function if exists public.app_list_results;
drop function if exists public.app_activity_results;
