"""A contact's privacy deletion (HubSpot's ``contact.privacyDeletion``): every text the app
derived from the activities that contact was associated with is removed from the database
(``app_forget_contact``) and from Redis' cached copies, and the deletion is recorded, logged
and counted without personal data (HubSpot's event id and the counts, never the contact)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.hubspot.history import HISTORY_PREFIX
from shared.hubspot.records import RECORD_PREFIX
from shared.logging import get_logger
from shared.pipeline.runtime import Runtime
from shared.review.inbox import CACHE_PREFIX as INBOX_PREFIX
from shared.webhooks.events import WebhookEvent

log = get_logger(__name__)


def forget_contact(rt: Runtime, event: WebhookEvent) -> None:
    contact_id = str(event.objectId)
    requested_at = datetime.fromtimestamp(event.occurredAt / 1000, UTC)
    forgotten = rt.store.forget_contact(contact_id, event.portalId, event.eventId, requested_at)
    _drop_cached(rt, contact_id, forgotten.activity_ids)
    rt.metrics.count("privacy_deletions_total")
    log.info(
        "privacy_deletion_done",
        portal_id=event.portalId,
        event_id=event.eventId,
        runs=forgotten.runs,
        drafts=forgotten.drafts,
        jobs=forgotten.jobs,
    )


def _drop_cached(rt: Runtime, contact_id: str, activity_ids: list[str]) -> None:
    """The contact's record, every activity history (a company's may hold the contact's
    activities: they are rebuilt on demand) and the touched activities' inbox summaries."""
    patterns = [f"{HISTORY_PREFIX}*", *(f"{INBOX_PREFIX}*:{i}" for i in activity_ids)]
    keys = [f"{RECORD_PREFIX}contacts:{contact_id}"]
    for pattern in patterns:
        keys += list(rt.redis.scan_iter(match=pattern, count=1000))
    rt.redis.delete(*keys)
