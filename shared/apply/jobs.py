"""The apply worker's work: one accepted draft or date, written to HubSpot exactly once.

The job is claimed first (a double click or a redelivered message finds it taken), and the
jobs of one run take turns, so a draft accepted while its dates are applied still makes one
follow-up task. The activity must still be the version the suggestion was made for (or one
our own earlier write produced) and still its owner's, else the rep is told of the conflict
instead of HubSpot being overwritten; the HubSpot object written is recorded before the job
is marked applied.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from shared.apply.refusals import refusal_reason
from shared.apply.writes import (
    JOB_ID_PROPERTY,
    associations,
    follow_up_task,
    task_update,
    written_task,
)
from shared.hubspot.account import AccountDetails
from shared.hubspot.daily_cap import DailyCapReached
from shared.hubspot.errors import AccountUnavailable, HubSpotError, ObjectNotFound
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME, Activity
from shared.hubspot.parse import parse_timestamp
from shared.logging import SecretScrubber, bind_activity, get_logger
from shared.pipeline.parking import park
from shared.pipeline.runtime import Runtime
from shared.queues import APPLY_JOB_TASK, APPLY_QUEUE
from shared.review.inbox import forget_summary
from shared.review.ownership import Ownership
from shared.store.review import JobOutcome
from shared.store.rows import ClaimedJob, RunBusy

Outcome = JobOutcome | Literal["duplicate", "waiting", "parked"]
CHANGED = "the activity changed in HubSpot after the suggestion was made; review it again"
DELETED = "the activity was deleted in HubSpot"
REASSIGNED = "the activity now belongs to another owner in HubSpot"
RECONNECT = "once the app is installed in that account again, accept the suggestion again"

log = get_logger(__name__)


def apply_job(rt: Runtime, job_id: str) -> Outcome:
    job = rt.store.claim_job(uuid.UUID(job_id), rt.settings.claim_lease_seconds)
    if job is None:
        log.info("apply_job_already_taken", job_id=job_id)
        return "duplicate"
    if isinstance(job, RunBusy):
        return _wait_for_turn(rt, job_id)
    bind_activity(job.run.activity_id, job_id=job_id)
    try:
        outcome, reason = _apply(_account_of(rt, job), job)
    except AccountUnavailable as exc:
        outcome, reason = "failed", f"{exc}; {RECONNECT}"
    except DailyCapReached as exc:
        portal = job.portal_id if job.portal_id is not None else rt.token_account()
        return _park(rt.naming(portal), job_id, exc)
    except HubSpotError as exc:
        outcome = "failed"
        reason = refusal_reason(exc) or str(exc)
        reason = SecretScrubber(rt.settings.secret_values()).scrub_text(reason)
    rt.store.finish_job(uuid.UUID(job_id), outcome, reason)
    rt.metrics.count("apply_jobs_total", outcome=outcome)
    log.info("apply_job_finished", outcome=outcome, reason=reason)
    for waiting in rt.store.waiting_jobs(uuid.UUID(job_id)):
        rt.dispatch(APPLY_JOB_TASK, [waiting], APPLY_QUEUE)  # their turn now
    return outcome


def _account_of(rt: Runtime, job: ClaimedJob) -> Runtime:
    """The runtime of the job's account: its token writes, no other."""
    if job.portal_id is None:
        return rt.for_token_account()
    return rt.for_account(job.portal_id)


def _wait_for_turn(rt: Runtime, job_id: str) -> Outcome:
    """Another job of the same run is writing to HubSpot; this one stays queued and is sent
    again when that one finishes. The delayed copy sent here is the safety net should that
    wake-up be lost: by then the other job has finished or outlived its lease."""
    rt.dispatch(APPLY_JOB_TASK, [job_id], APPLY_QUEUE, countdown=rt.settings.claim_lease_seconds)
    rt.metrics.count("apply_jobs_total", outcome="waiting")
    log.info("apply_job_waits_its_turn", job_id=job_id)
    return "waiting"


def _park(rt: Runtime, job_id: str, cap: DailyCapReached) -> Outcome:
    """HubSpot takes no more calls today: the job waits in the queue, saying why, and is
    sent again after the reset; the jobs waiting for their turn behind it wait too."""
    reason = f"waiting for HubSpot's daily API limit to reset at {cap.until:%Y-%m-%d %H:%M %Z}"
    rt.store.park_job(uuid.UUID(job_id), reason)
    park(rt, APPLY_JOB_TASK, [job_id], APPLY_QUEUE)
    for waiting in rt.store.waiting_jobs(uuid.UUID(job_id)):
        park(rt, APPLY_JOB_TASK, [waiting], APPLY_QUEUE)
    rt.metrics.count("apply_jobs_total", outcome="parked")
    log.info("apply_job_parked", reason=reason)
    return "parked"


def _apply(rt: Runtime, job: ClaimedJob) -> tuple[JobOutcome, str | None]:
    if job.hubspot_object_id:
        return "applied", None  # written before a crash; the write itself is done
    run = job.run
    try:
        activity = fetch_activity(rt.hubspot, KIND_BY_NAME[run.activity_type], run.activity_id)
    except ObjectNotFound:
        return "conflict", DELETED
    ownership = Ownership(rt.hubspot, rt.store, rt.cache)
    if ownership.record(rt.portal, activity.id, activity.owner_id, job.hubspot_owner_id):
        return "conflict", REASSIGNED
    if activity.version not in {run.activity_version, *job.own_versions}:
        return "conflict", CHANGED
    written, sent = _write(rt, job, activity)
    version = parse_timestamp(written["properties"]["hs_lastmodifieddate"])
    shown = written_task(written, sent, activity, _account(rt))
    rt.store.record_job_object(
        job.id, str(written["id"]), version.isoformat() if version else "", shown
    )
    forget_summary(rt.redis, rt.portal, activity.type, activity.id)
    return "applied", None


def _write(
    rt: Runtime, job: ClaimedJob, activity: Activity
) -> tuple[dict[str, Any], dict[str, str]]:
    """The task HubSpot answered with, and the properties sent to it."""
    task_id = activity.id if activity.type == "task" else job.run_task_id
    if task_id:
        sent = task_update(job, _current_notes(rt, job, task_id))
        return rt.hubspot.update_object("tasks", task_id, sent), sent
    sent = follow_up_task(job, activity)
    created_before_a_crash = rt.hubspot.find_task(JOB_ID_PROPERTY, str(job.id))
    return created_before_a_crash or rt.hubspot.create_task(sent, associations(activity)), sent


def _current_notes(rt: Runtime, job: ClaimedJob, task_id: str) -> str | None:
    """The task's notes as HubSpot stores them (rich text), read only when a draft goes
    below them: the activity as fetched holds them as plain text."""
    if job.kind != "draft" or job.task_body == "replace":
        return None
    found = rt.hubspot.batch_read("tasks", [task_id], ["hs_task_body"])
    return (found[0].get("properties") or {}).get("hs_task_body") if found else None


def _account(rt: Runtime) -> AccountDetails | None:
    """For the link to the record; a job is applied all the same when HubSpot cannot say."""
    try:
        return rt.account.details()
    except HubSpotError:
        return None
