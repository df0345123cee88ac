"""The fetch task's work: one batch of waiting ids, one batch read, one run per version."""

from __future__ import annotations

from shared.auth.owners import OwnerDirectory
from shared.hubspot.daily_cap import DailyCapReached
from shared.hubspot.errors import HubSpotError
from shared.hubspot.fetch import fetch_activities
from shared.hubspot.models import KIND_BY_OBJECT_TYPE, Activity, ActivityKind
from shared.logging import correlation_id, get_logger
from shared.pipeline.ingest import schedule_fetch
from shared.pipeline.parking import park
from shared.pipeline.pending import PendingActivities
from shared.pipeline.runtime import Runtime
from shared.queues import ACTIVITIES_QUEUE, FETCH_PENDING_TASK, PROCESS_ACTIVITY_TASK

GONE_VERSION = "gone"
RESUME_AFTER_SECONDS = 60

log = get_logger(__name__)


def fetch_pending(rt: Runtime, object_type: str, fetch_id: str) -> int:
    """Fetch up to one batch of waiting activities and dispatch their runs; returns how many.

    When HubSpot stays unavailable through the client's retries, the ids go back to the
    pending set and a fetch is scheduled for later: nothing is lost, and the client remains
    the one owner of retrying calls. While the daily API limit is used up the fetch is
    parked instead, to run after the reset.
    """
    pending = PendingActivities(rt.redis)
    pending.unschedule(object_type)  # arrivals from now on schedule the next fetch
    ids = pending.take_batch(object_type, fetch_id, rt.hubspot.batch_size)
    try:
        _fetch_and_dispatch(rt, KIND_BY_OBJECT_TYPE[object_type], ids)
    except DailyCapReached as exc:
        pending.release(object_type, fetch_id)
        park(rt, FETCH_PENDING_TASK, [object_type], ACTIVITIES_QUEUE)
        log.warning("fetch_parked", object_type=object_type, ids=len(ids), until=str(exc.until))
        return 0
    except HubSpotError as exc:
        pending.release(object_type, fetch_id)
        schedule_fetch(rt, pending, object_type, delay=RESUME_AFTER_SECONDS)
        log.warning("fetch_postponed", object_type=object_type, ids=len(ids), error=str(exc))
        return 0
    pending.done(fetch_id)
    if pending.waiting(object_type):
        schedule_fetch(rt, pending, object_type)
    return len(ids)


def _fetch_and_dispatch(rt: Runtime, kind: ActivityKind, ids: list[str]) -> None:
    if not ids:
        return
    found = fetch_activities(rt.hubspot, kind, ids, cache=rt.redis)
    portal_id = rt.account.details().portal_id  # the one account the token reads from
    for activity in found.values():
        dispatch_run(rt, activity, portal_id)
    for missing in sorted(set(ids) - set(found)):
        record_gone(rt, missing, kind.name, portal_id)
    log.info(
        "activities_fetched",
        object_type=kind.object_type,
        asked=len(ids),
        found=len(found),
        correlation_ids=[correlation_id(i) for i in ids],
    )


def dispatch_run(
    rt: Runtime, activity: Activity, portal_id: int, retry_failed: bool = False
) -> bool:
    """Queue a run for this version of the account ``portal_id``'s activity and hand it to a
    processing task, unless it has one."""
    owner = OwnerDirectory(rt.hubspot, rt.redis).owner(activity.owner_id)
    if owner is not None:
        activity = activity.model_copy(update={"owner_name": owner.full_name})
    run = rt.store.queue_run(
        activity,
        portal_id,
        retry_failed,
        rt.settings.claim_lease_seconds,
        owner_email=owner.email if owner else None,
    )
    if run.needs_processing:
        # The account's zone travels with the run: processing then needs no Redis before
        # its model call, and every run of a burst reads dates on the same calendar.
        time_zone = rt.account.details().time_zone
        rt.dispatch(
            PROCESS_ACTIVITY_TASK,
            [str(run.run_id), activity.model_dump(mode="json"), time_zone],
            ACTIVITIES_QUEUE,
        )
    return run.needs_processing


def record_gone(rt: Runtime, activity_id: str, activity_type: str, portal_id: int) -> None:
    run = rt.store.queue_gone(activity_id, activity_type, GONE_VERSION, portal_id)
    if run.status == "queued":
        rt.store.finish_run(
            run.run_id,
            "skipped",
            "ActivityGone",
            "not found in HubSpot (deleted or never visible to this app)",
        )
