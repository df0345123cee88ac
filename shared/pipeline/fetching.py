"""The fetch task's work: one batch of an account's waiting ids, one batch read, one run per
version, all with that account's client."""

from __future__ import annotations

from shared.auth.owners import OwnerDirectory
from shared.hubspot.daily_cap import DailyCapReached
from shared.hubspot.errors import AccountUnavailable, HubSpotError
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


def fetch_pending(
    rt: Runtime, object_type: str, fetch_id: str, portal_id: int | None = None
) -> int:
    """Fetch up to one batch of the account's waiting activities and dispatch their runs;
    returns how many. ``portal_id`` None: a fetch queued before fetches named their account,
    which was the static token's.

    When HubSpot stays unavailable through the client's retries, the ids go back to the
    pending set and a fetch is scheduled for later: nothing is lost, and the client remains
    the one owner of retrying calls. While the daily API limit is used up the fetch is
    parked instead, to run after the reset. While the account is lost (disconnected or
    uninstalled) its ids wait: no call is made with its token, none with another's.
    """
    try:
        art = rt.for_account(portal_id) if portal_id is not None else rt.for_token_account()
    except AccountUnavailable as exc:
        _wait_for_account(rt, exc, object_type)
        return 0
    except HubSpotError as exc:
        if portal_id is None:
            raise  # nothing to put back: the task fails and the next event schedules one
        art = rt.naming(portal_id)
        schedule_fetch(
            art, PendingActivities(rt.redis, portal_id), object_type, RESUME_AFTER_SECONDS
        )
        log.warning("fetch_postponed", object_type=object_type, error=str(exc)[:300])
        return 0
    return _fetch_batch(art, object_type, fetch_id)


def _fetch_batch(rt: Runtime, object_type: str, fetch_id: str) -> int:
    pending = PendingActivities(rt.redis, rt.portal)
    pending.unschedule(object_type)  # arrivals from now on schedule the next fetch
    ids = pending.take_batch(object_type, fetch_id, rt.hubspot.batch_size)
    try:
        _fetch_and_dispatch(rt, KIND_BY_OBJECT_TYPE[object_type], ids)
    except AccountUnavailable as exc:
        pending.release(object_type, fetch_id)
        _wait_for_account(rt, exc, object_type)
        return 0
    except DailyCapReached as exc:
        pending.release(object_type, fetch_id)
        park(rt, FETCH_PENDING_TASK, [object_type, rt.portal], ACTIVITIES_QUEUE)
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


def _wait_for_account(rt: Runtime, lost: AccountUnavailable, object_type: str) -> None:
    """The account's ids stay in its pending set; once it is installed again, its next
    event (or catch-up) schedules the fetch that takes them."""
    rt.metrics.count("fetches_waiting_for_account_total", status=lost.status)
    log.warning(
        "fetch_waits_for_account",
        portal_id=lost.portal_id,
        status=lost.status,
        object_type=object_type,
    )


def _fetch_and_dispatch(rt: Runtime, kind: ActivityKind, ids: list[str]) -> None:
    if not ids:
        return
    found = fetch_activities(rt.hubspot, kind, ids, cache=rt.cache)
    for activity in found.values():
        dispatch_run(rt, activity)
    for missing in sorted(set(ids) - set(found)):
        record_gone(rt, missing, kind.name)
    log.info(
        "activities_fetched",
        portal_id=rt.portal,
        object_type=kind.object_type,
        asked=len(ids),
        found=len(found),
        correlation_ids=[correlation_id(i) for i in ids],
    )


def dispatch_run(rt: Runtime, activity: Activity, retry_failed: bool = False) -> bool:
    """Queue a run for this version of the account's activity (``rt``: the account's
    runtime) and hand it to a processing task, unless it has one."""
    owner = OwnerDirectory(rt.hubspot, rt.cache).owner(activity.owner_id)
    if owner is not None:
        activity = activity.model_copy(update={"owner_name": owner.full_name})
    run = rt.store.queue_run(
        activity,
        rt.portal,
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
            [str(run.run_id), activity.model_dump(mode="json"), time_zone, rt.portal],
            ACTIVITIES_QUEUE,
        )
    return run.needs_processing


def record_gone(rt: Runtime, activity_id: str, activity_type: str) -> None:
    run = rt.store.queue_gone(activity_id, activity_type, GONE_VERSION, rt.portal)
    if run.status == "queued":
        rt.store.finish_run(
            run.run_id,
            "skipped",
            "ActivityGone",
            "not found in HubSpot (deleted or never visible to this app)",
        )
