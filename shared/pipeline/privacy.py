"""A contact's privacy deletion (HubSpot's ``contact.privacyDeletion``): every text the app
derived from the activities that contact was associated with is removed from the database
(``app_forget_contact``) and from Redis' cached copies, and the deletion is recorded, logged
and counted without personal data (HubSpot's event id and the counts, never the contact)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.account_keys import AccountCache
from shared.hubspot.history import HISTORY
from shared.hubspot.records import RECORD
from shared.logging import get_logger
from shared.pipeline.runtime import Runtime
from shared.review.inbox import CACHE_PREFIX as INBOX_PREFIX
from shared.webhooks.events import WebhookEvent

log = get_logger(__name__)


def forget_contact(rt: Runtime, event: WebhookEvent) -> None:
    contact_id = str(event.objectId)
    requested_at = datetime.fromtimestamp(event.occurredAt / 1000, UTC)
    forgotten = rt.store.forget_contact(contact_id, event.portalId, event.eventId, requested_at)
    _drop_cached(AccountCache(rt.redis, event.portalId), contact_id, forgotten.activity_ids)
    rt.metrics.count("privacy_deletions_total")
    log.info(
        "privacy_deletion_done",
        portal_id=event.portalId,
        event_id=event.eventId,
        runs=forgotten.runs,
        drafts=forgotten.drafts,
        jobs=forgotten.jobs,
    )


def _drop_cached(cache: AccountCache, contact_id: str, activity_ids: list[str]) -> None:
    """The contact's record, every activity history of the account (a company's may hold
    the contact's activities: they are rebuilt on demand) and the touched activities' inbox
    summaries."""
    patterns = [cache.key(HISTORY, "*"), *(f"{INBOX_PREFIX}*:{i}" for i in activity_ids)]
    keys = [cache.key(RECORD, "contacts", contact_id)]
    for pattern in patterns:
        keys += list(cache.redis.scan_iter(match=pattern, count=1000))
    cache.redis.delete(*keys)
