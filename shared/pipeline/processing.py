"""The processing task's work: one activity version in, one completed (or explained) run out."""

from __future__ import annotations

import re
import uuid
from typing import Any, Literal

from shared.feedback.voice import RepVoice, ranked
from shared.hubspot.models import Activity
from shared.llm.client import suggest
from shared.logging import SecretScrubber, bind_activity, get_logger
from shared.pipeline.runtime import Runtime
from shared.store.base import RunResults

Outcome = Literal["completed", "failed", "skipped", "duplicate"]
_WORD = re.compile(r"[^\W_]{2,}")

log = get_logger(__name__)


def process_activity(
    rt: Runtime,
    run_id: str,
    activity_json: dict[str, Any],
    time_zone: str | None = None,
    portal_id: int | None = None,
) -> Outcome:
    """``time_zone`` and ``portal_id``: the activity's account's, sent by the fetch; a
    message sent before they were is the static token's account's."""
    activity = Activity.model_validate(activity_json)
    bind_activity(activity.id, run_id=run_id)
    portal = portal_id if portal_id is not None else rt.token_account()
    outcome = _process(rt.naming(portal), uuid.UUID(run_id), activity, time_zone)
    rt.metrics.count("pipeline_runs_total", outcome=outcome)
    return outcome


def _process(rt: Runtime, run_id: uuid.UUID, activity: Activity, time_zone: str | None) -> Outcome:
    if not rt.store.claim_run(run_id, rt.settings.claim_lease_seconds):
        log.info("run_already_taken")
        return "duplicate"
    if rt.store.is_own_write(rt.portal, activity.id, activity.version):
        # HubSpot's webhook for a task we just wrote: not a rep's new activity.
        rt.store.finish_run(run_id, "skipped", "OwnWriteBack", "written by this app")
        log.info("run_skipped", reason="own write-back")
        return "skipped"
    if not has_content(activity):
        rt.store.finish_run(run_id, "skipped", "NothingToActOn", "the activity has no text")
        log.info("run_skipped", reason="no text")
        return "skipped"
    try:
        time_zone = time_zone or rt.account.details().time_zone
        voice = (
            rt.store.rep_voice(rt.portal, activity.owner_id) if activity.owner_id else RepVoice()
        )
        run = suggest(
            activity,
            rt.llm,
            time_zone=time_zone,
            budget=rt.llm_budget,
            voice_examples=voice.examples,
        )
    except Exception as exc:
        message = SecretScrubber(rt.settings.secret_values()).scrub_text(str(exc))[:2000]
        rt.store.finish_run(run_id, "failed", type(exc).__name__, message)
        log.warning("run_failed", error_class=type(exc).__name__, error=message)
        return "failed"
    rt.store.complete_run(
        run_id, results_of(run, rt.llm.enable_opportunities, voice.preferred_tone)
    )
    log.info("run_completed", model=run.model, latency_ms=run.latency_ms)
    rt.metrics.record(
        counts={"llm_cost_usd_total": run.cost_usd or 0},
        timings={"llm_call_seconds": run.latency_ms / 1000},
    )
    rt.metrics.count("llm_tokens_total", run.prompt_tokens, kind="prompt")
    rt.metrics.count("llm_tokens_total", run.completion_tokens, kind="completion")
    return "completed"


def has_content(activity: Activity) -> bool:
    """Something a follow-up could be written about: at least two words of text."""
    return len(_WORD.findall(f"{activity.subject} {activity.body}")) >= 2


def results_of(run: Any, keep_opportunity: bool, preferred_tone: str | None = None) -> RunResults:
    """The run's output as stored, its drafts ranked for the rep (``preferred_tone`` first);
    an opportunity only while that table is switched on."""
    suggestions = run.suggestions
    opportunity = suggestions.opportunity if keep_opportunity else None
    drafts = [draft.model_dump(mode="json") for draft in suggestions.drafts]
    return RunResults(
        drafts=ranked(drafts, preferred_tone),
        recommendation=(
            suggestions.touch_date.model_dump(mode="json") if suggestions.touch_date else None
        ),
        opportunity=opportunity.model_dump(mode="json") if opportunity else None,
        scores=run.to_log_fields(),
        flag=suggestions.flag,
        flag_reason=suggestions.flag_reason,
    )
