"""Catching up with what webhooks missed, for OAuth installs: every install's webhooks
journal (HubSpot keeps 3 days of it) is read through, its uninstalls acted on and its CRM
events handed to the pipeline's intake as a webhook delivery's are; then runs whose
processing message was lost (still 'queued' long after) go back through their account's
fetch, which finds them queued and sends them to processing again. Static installs have no
journal: the reconcile sweep searches HubSpot for what changed instead
(``shared.pipeline.reconcile``). The beat schedule runs one or the other, by
``HUBSPOT_AUTH`` (``workers.celery_app.catch_up_schedule``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from shared.accounts.journals import EventHandler, JournalReport, build_journals
from shared.hubspot.models import KIND_BY_NAME
from shared.logging import get_logger
from shared.pipeline.ingest import schedule_fetch
from shared.pipeline.pending import PendingActivities
from shared.pipeline.reconcile import STALE_QUEUED
from shared.pipeline.runtime import Dispatcher, Runtime
from shared.queues import ACTIVITIES_QUEUE, INGEST_EVENTS_TASK
from shared.webhooks.events import MAX_EVENTS_PER_REQUEST, WebhookEvent, dump_events

RUNNING_KEY = "journals:running"
RUNNING_HOLD_SECONDS = 600  # a crashed read releases its hold after this

log = get_logger(__name__)


def hand_to_intake(dispatch: Dispatcher) -> EventHandler:
    """Events to the ingest task, as the receiver sends a delivery's: the ones the pipeline
    acts on, as JSON, at most a delivery's worth per message. The ingest task's claims drop
    any a webhook brought already."""

    def handle(events: list[WebhookEvent]) -> None:
        acted_on = [event for event in events if event.is_acted_on]
        for start in range(0, len(acted_on), MAX_EVENTS_PER_REQUEST):
            chunk = dump_events(acted_on[start : start + MAX_EVENTS_PER_REQUEST])
            dispatch(INGEST_EVENTS_TASK, [chunk], ACTIVITIES_QUEUE)

    return handle


def read_journals(rt: Runtime) -> JournalReport | None:
    """Every install's journal, once through; None when another read is still running
    (reads never overlap: each would hand the same events over). An account whose journal
    cannot be read now is logged and read on the next run; ``JournalRefused`` is raised
    when HubSpot refuses the app itself."""
    if not rt.redis.set(RUNNING_KEY, 1, nx=True, ex=RUNNING_HOLD_SECONDS):
        return None
    journals = build_journals(rt.settings, rt.store, rt.redis, rt.metrics)
    try:
        report = journals.read_all(hand_to_intake(rt.dispatch))
    finally:
        journals.reader.close()
        rt.redis.delete(RUNNING_KEY)
    for portal_id, reason in report.failed.items():
        log.warning("hubspot_journal_not_read", portal_id=portal_id, reason=reason)
    log.info(
        "hubspot_journals_read",
        accounts=report.accounts,
        crm_events=report.crm_events,
        uninstalls=report.uninstalls,
    )
    requeue_stale_runs(rt)
    return report


def requeue_stale_runs(rt: Runtime, stale_after: timedelta = STALE_QUEUED) -> int:
    """Put the activities of runs left 'queued' longer than ``stale_after`` back in their
    account's pending sets; returns how many."""
    by_account: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stale = rt.store.stale_queued_runs(int(stale_after.total_seconds()))
    for portal_id, activity_id, activity_type in stale:
        by_account[portal_id][KIND_BY_NAME[activity_type].object_type].append(activity_id)
    for portal_id, by_type in by_account.items():
        pending = PendingActivities(rt.redis, portal_id)
        for object_type, ids in by_type.items():
            pending.add(object_type, ids)
            schedule_fetch(rt.naming(portal_id), pending, object_type)
    if stale:
        log.warning("stale_runs_requeued", count=len(stale), accounts=sorted(by_account))
    return len(stale)
