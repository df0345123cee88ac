"""The ingest task's work: claim a delivery's events, record deletions, carry out contacts'
privacy deletions, queue fetches.

Events are routed by their account (``portalId``). Activity events become ids waiting in
the account's per-type pending sets, and a fetch of that account and type is scheduled
unless one already is. Ids that arrive while a fetch waits or runs are taken by the next
one, so under load many deliveries share one batch read, and a lone event is fetched at
once. Events of an account the service does not act for (not installed, disconnected,
uninstalled; with static auth, any but the token's) are acknowledged, since HubSpot must not
retry them, counted and logged, never processed. A contact's privacy deletion is carried
out whatever the account's state: it needs no HubSpot call, and the data is ours to delete.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from shared.hubspot.errors import AccountUnavailable, HubSpotError
from shared.hubspot.models import KIND_BY_TYPE_ID
from shared.logging import correlation_id, get_logger
from shared.pipeline.claims import EventClaims
from shared.pipeline.pending import PendingActivities
from shared.pipeline.privacy import forget_contact
from shared.pipeline.runtime import Runtime
from shared.queues import ACTIVITIES_QUEUE, FETCH_PENDING_TASK
from shared.webhooks.events import WebhookEvent

DELETED_VERSION = "deleted"

log = get_logger(__name__)


def ingest_events(rt: Runtime, raw_events: list[dict[str, Any]], task_id: str) -> None:
    by_account: dict[int, list[WebhookEvent]] = defaultdict(list)
    for event in _valid(raw_events):
        by_account[event.portalId].append(event)
    for portal_id, events in by_account.items():
        _ingest_account(rt, portal_id, events, task_id)


def _ingest_account(rt: Runtime, portal_id: int, events: list[WebhookEvent], task_id: str) -> None:
    account = _served(rt, portal_id, events)
    if account is None:
        events = [event for event in events if event.is_privacy_deletion]
    to_fetch: dict[str, list[str]] = defaultdict(list)
    for event in _claimed(rt, events, task_id):
        if event.is_privacy_deletion:
            forget_contact(rt, event)
        elif account is not None:  # else only privacy deletions were kept
            kind = KIND_BY_TYPE_ID[event.objectTypeId or ""]
            if event.subscriptionType == "object.deletion":
                record_deleted(account, str(event.objectId), kind.name)
            else:
                to_fetch[kind.object_type].append(str(event.objectId))
    if account is None or not to_fetch:
        return
    pending = PendingActivities(rt.redis, portal_id)
    for object_type, ids in to_fetch.items():
        pending.add(object_type, ids)
        schedule_fetch(account, pending, object_type)


def _claimed(rt: Runtime, events: list[WebhookEvent], task_id: str) -> list[WebhookEvent]:
    owned = EventClaims(rt.redis).claim([event.identity for event in events], task_id)
    mine = [event for event, is_mine in zip(events, owned, strict=True) if is_mine]
    if len(mine) < len(events):
        rt.metrics.count("webhook_events_duplicate_total", len(events) - len(mine))
    log.info(
        "events_claimed",
        received=len(events),
        claimed=len(mine),
        correlation_ids=sorted({correlation_id(e.objectId or "") for e in mine}),
    )
    return mine


def schedule_fetch(
    rt: Runtime, pending: PendingActivities, object_type: str, delay: float | None = None
) -> None:
    """``rt``: the runtime of the account whose ids ``pending`` holds."""
    if not pending.should_schedule(object_type):
        return  # a fetch is already on its way and will take these ids too
    try:
        rt.dispatch(FETCH_PENDING_TASK, [object_type, rt.portal], ACTIVITIES_QUEUE, countdown=delay)
    except Exception:
        pending.unschedule(object_type)  # let the retry (or the next event) schedule it
        raise


def record_deleted(rt: Runtime, activity_id: str, activity_type: str) -> None:
    run = rt.store.queue_gone(activity_id, activity_type, DELETED_VERSION, rt.portal)
    if run.status == "queued":
        rt.store.finish_run(run.run_id, "skipped", "ActivityDeleted", "deleted in HubSpot")


def _served(rt: Runtime, portal_id: int, events: list[WebhookEvent]) -> Runtime | None:
    """The account's runtime, or None when the service does not act for it now."""
    try:
        rt.clients.check_served(portal_id)
        return rt.for_account(portal_id)
    except AccountUnavailable as exc:
        rt.metrics.count("webhook_events_unserved_total", len(events), status=exc.status)
        log.warning(
            "events_of_unserved_account",
            portal_id=portal_id,
            status=exc.status,
            count=len(events),
        )
        return None
    except HubSpotError as exc:
        # Static auth, and HubSpot has never said which account the token reaches: the
        # events wait in the pending sets rather than being lost; their fetch asks again.
        rt.metrics.count("webhook_events_portal_unchecked_total", len(events))
        log.warning("events_portal_unchecked", error=str(exc)[:300], count=len(events))
        return rt.naming(portal_id)


def _valid(raw_events: list[dict[str, Any]]) -> list[WebhookEvent]:
    """The receiver validated these; anything else on the queue is logged and dropped."""
    events = []
    for raw in raw_events:
        try:
            event = WebhookEvent.model_validate(raw)
        except ValidationError as exc:
            log.error("event_dropped_invalid", error=str(exc)[:500])
            continue
        if event.is_acted_on:
            events.append(event)
    return events
