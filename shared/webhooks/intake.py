"""Accept verified events: keep the activity ones, drop deliveries seen before, enqueue once.

Seen-marks are written only after the enqueue succeeded, so a delivery that failed to
enqueue is never mistaken for a duplicate when HubSpot retries it. The marks are a fast
filter; the ingest task's claims and the database's constraints are the real guarantee.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from shared.logging import get_logger
from shared.webhooks.events import WebhookEvent, dump_events

# HubSpot retries a delivery for about a day; keep marks well past its 3-day journal.
SEEN_TTL_SECONDS = 4 * 24 * 3600
SEEN_PREFIX = "webhook:seen:"
# All marks of a delivery in one round trip; a pipeline of 100 SETs costs redis-py far more
# CPU than the server spends on them.
_MARK_SEEN = """
for _, key in ipairs(KEYS) do
    redis.call('SET', key, '1', 'EX', ARGV[1])
end
return #KEYS
"""

log = get_logger(__name__)


@dataclass(frozen=True)
class IntakeResult:
    accepted: int
    duplicates: int
    ignored: int
    task_id: str | None


class EventIntake:
    def __init__(
        self, redis_client: redis.Redis, enqueue: Callable[[list[dict[str, Any]]], str]
    ) -> None:
        self.redis = redis_client
        self.enqueue = enqueue
        self._mark_seen_script = redis_client.register_script(_MARK_SEEN)

    def accept(self, events: list[WebhookEvent]) -> IntakeResult:
        """Raises redis/kombu errors when nothing could be enqueued (the caller answers 503)."""
        activity_events = [event for event in events if event.is_activity_event]
        by_key = {SEEN_PREFIX + event.identity: event for event in activity_events}
        fresh = self._unseen(by_key)
        task_id = None
        if fresh:
            task_id = self.enqueue(dump_events(list(fresh.values())))
            self._mark_seen(list(fresh))
        return IntakeResult(
            accepted=len(fresh),
            duplicates=len(activity_events) - len(fresh),
            ignored=len(events) - len(activity_events),
            task_id=task_id,
        )

    def _unseen(self, by_key: dict[str, WebhookEvent]) -> dict[str, WebhookEvent]:
        if not by_key:
            return {}
        marks = self.redis.mget(list(by_key))
        return {
            key: event for (key, event), mark in zip(by_key.items(), marks, strict=True) if not mark
        }

    def _mark_seen(self, keys: list[str]) -> None:
        try:
            self._mark_seen_script(keys=keys, args=[SEEN_TTL_SECONDS])
        except redis.RedisError as exc:
            # Already enqueued: a missing mark only lets a redelivery through to the ingest
            # task, which drops it. Failing the request now would be the worse outcome.
            log.warning("webhook_seen_marks_not_written", error=type(exc).__name__)
