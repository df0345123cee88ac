-- 014: what reps do with drafts, kept beside them so insights and the next drafts can learn
-- from it: why a draft was rejected, and for an accepted one the text that went out and how
-- much of the model's text the rep changed. A draft's rank is its place among its run's
-- drafts (0 first): the tone its rep accepts most comes first, whatever its confidence.

alter table public.ai_generated_drafts
    add column reject_reason text
        check (reject_reason in ('wrong_facts', 'wrong_tone', 'not_needed', 'other')),
    add column reject_note text check (char_length(reject_note) between 1 and 1000),
    add column accepted_at timestamptz,
    add column final_text text check (final_text <> ''),
    -- Normalised Levenshtein distance from draft_text to final_text: 0 untouched, 1 rewritten.
    add column edit_distance real check (edit_distance between 0 and 1),
    add column rank smallint check (rank >= 0),
    add constraint ai_generated_drafts_other_has_note
        check (reject_reason is distinct from 'other' or reject_note is not null),
    add constraint ai_generated_drafts_reason_when_rejected
        check (reject_reason is null or rejected_at is not null),
    add constraint ai_generated_drafts_accept_record check (
        (accepted_at is null and final_text is null and edit_distance is null)
        or (accepted_at is not null and final_text is not null and edit_distance is not null)
    );

-- Accepted drafts, newest first: a rep's voice and favourite tone, read once per run.
create index ai_generated_drafts_accepted_idx
    on public.ai_generated_drafts (accepted_at desc) where accepted_at is not null;
