"""Accept verified events: keep the ones acted on (activities' events, contacts' privacy
deletions), each once, and enqueue them as one message.

Deduplication across deliveries belongs to the ingest task, not the request path: its claims
on each event's identity outlive HubSpot's retries, and the database's one-run-per-version
rule backs them. A redelivery is therefore enqueued again and dropped by the worker, which
keeps the request to a single Redis command (the enqueue) and means no dedup state can ever
exist for an event that was not enqueued. Repeats inside one delivery cost nothing to drop
here, so they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.webhooks.events import WebhookEvent, dump_events


@dataclass(frozen=True)
class IntakeResult:
    accepted: int
    duplicates: int  # repeats of an event earlier in the same delivery
    ignored: int
    task_id: str | None


class EventIntake:
    def __init__(self, enqueue: Callable[[list[dict[str, Any]]], str]) -> None:
        self.enqueue = enqueue

    def accept(self, events: list[WebhookEvent]) -> IntakeResult:
        """Raises redis/kombu errors when nothing could be enqueued (the caller answers 503)."""
        acted_on = [event for event in events if event.is_acted_on]
        unique = list({event.identity: event for event in acted_on}.values())
        task_id = self.enqueue(dump_events(unique)) if unique else None
        return IntakeResult(
            accepted=len(unique),
            duplicates=len(acted_on) - len(unique),
            ignored=len(events) - len(acted_on),
            task_id=task_id,
        )
