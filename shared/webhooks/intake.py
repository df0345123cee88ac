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
from shared.webhooks.events import WebhookEvent

# HubSpot retries a delivery for about a day; keep marks well past its 3-day journal.
SEEN_TTL_SECONDS = 4 * 24 * 3600
SEEN_PREFIX = "webhook:seen:"

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

    def accept(self, events: list[WebhookEvent]) -> IntakeResult:
        """Raises redis/kombu errors when nothing could be enqueued (the caller answers 503)."""
        activity_events = [event for event in events if event.is_activity_event]
        unique = list({event.identity: event for event in activity_events}.values())
        fresh = self._unseen(unique)
        task_id = None
        if fresh:
            task_id = self.enqueue(
                [event.model_dump(mode="json", exclude_none=True) for event in fresh]
            )
            self._mark_seen(fresh)
        return IntakeResult(
            accepted=len(fresh),
            duplicates=len(activity_events) - len(fresh),
            ignored=len(events) - len(activity_events),
            task_id=task_id,
        )

    def _unseen(self, events: list[WebhookEvent]) -> list[WebhookEvent]:
        if not events:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for event in events:
            pipe.exists(SEEN_PREFIX + event.identity)
        flags = pipe.execute()
        return [event for event, seen in zip(events, flags, strict=True) if not seen]

    def _mark_seen(self, events: list[WebhookEvent]) -> None:
        try:
            pipe = self.redis.pipeline(transaction=False)
            for event in events:
                pipe.set(SEEN_PREFIX + event.identity, 1, ex=SEEN_TTL_SECONDS)
            pipe.execute()
        except redis.RedisError as exc:
            # Already enqueued: a missing mark only lets a redelivery through to the ingest
            # task, which drops it. Failing the request now would be the worse outcome.
            log.warning("webhook_seen_marks_not_written", error=type(exc).__name__)
