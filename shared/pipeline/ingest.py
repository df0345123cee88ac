"""The ingest task's work: claim a delivery's events, record deletions, carry out contacts'
privacy deletions, queue fetches.

Activity events become ids waiting in per-type pending sets, and a fetch of that type is
scheduled unless one already is. Ids that arrive while a fetch waits or runs are taken by
the next one, so under load many deliveries share one batch read, and a lone event is
fetched at once. Events of another HubSpot account than the one the access token reaches
are acknowledged (HubSpot must not retry them) and counted, never processed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from shared.hubspot.errors import HubSpotError
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
    events = _for_this_account(rt, _valid(raw_events))
    owned = EventClaims(rt.redis).claim([event.identity for event in events], task_id)
    mine = [event for event, is_mine in zip(events, owned, strict=True) if is_mine]
    if len(mine) < len(events):
        rt.metrics.count("webhook_events_duplicate_total", len(events) - len(mine))
    log.info(
        "events_claimed",
        received=len(raw_events),
        claimed=len(mine),
        correlation_ids=sorted({correlation_id(e.objectId or "") for e in mine}),
    )
    to_fetch: dict[str, list[str]] = defaultdict(list)
    for event in mine:
        if event.is_privacy_deletion:
            forget_contact(rt, event)
            continue
        kind = KIND_BY_TYPE_ID[event.objectTypeId or ""]
        if event.subscriptionType == "object.deletion":
            record_deleted(rt, str(event.objectId), kind.name, event.portalId)
        else:
            to_fetch[kind.object_type].append(str(event.objectId))
    pending = PendingActivities(rt.redis)
    for object_type, ids in to_fetch.items():
        pending.add(object_type, ids)
        schedule_fetch(rt, pending, object_type)


def schedule_fetch(
    rt: Runtime, pending: PendingActivities, object_type: str, delay: float | None = None
) -> None:
    if not pending.should_schedule(object_type):
        return  # a fetch is already on its way and will take these ids too
    try:
        rt.dispatch(FETCH_PENDING_TASK, [object_type], ACTIVITIES_QUEUE, countdown=delay)
    except Exception:
        pending.unschedule(object_type)  # let the retry (or the next event) schedule it
        raise


def record_deleted(rt: Runtime, activity_id: str, activity_type: str, portal_id: int) -> None:
    run = rt.store.queue_gone(activity_id, activity_type, DELETED_VERSION, portal_id)
    if run.status == "queued":
        rt.store.finish_run(run.run_id, "skipped", "ActivityDeleted", "deleted in HubSpot")


def _for_this_account(rt: Runtime, events: list[WebhookEvent]) -> list[WebhookEvent]:
    try:
        portal_id = rt.account.details().portal_id
    except HubSpotError as exc:
        # HubSpot has never answered for the account: the events are processed unchecked
        # rather than lost (a foreign activity id is then not found, and recorded gone).
        rt.metrics.count("webhook_events_portal_unchecked_total", len(events))
        log.warning("events_portal_unchecked", error=str(exc)[:300], count=len(events))
        return events
    ours = [event for event in events if event.portalId == portal_id]
    if len(ours) < len(events):
        foreign = sorted({event.portalId for event in events} - {portal_id})
        rt.metrics.count("webhook_events_foreign_portal_total", len(events) - len(ours))
        log.warning("events_of_another_account", portal_ids=foreign, count=len(events) - len(ours))
    return ours


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
