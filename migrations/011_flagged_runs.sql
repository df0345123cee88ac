-- 011: a run can end with nothing to send. When the activity asks not to be contacted
-- (opt_out) or threatens legal action (legal), the run completes with no drafts and no date,
-- flagged with the reason for the rep. An angry customer's run (hostile) is flagged too, and
-- keeps its drafts: an apology and a concrete next step. app_complete_run records the flag
-- and app_list_results shows it.

alter table public.ai_processing_logs
    add column flag text check (flag in ('opt_out', 'legal', 'hostile')),
    add column flag_reason text check (char_length(flag_reason) <= 300);
