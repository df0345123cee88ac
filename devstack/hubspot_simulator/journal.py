"""The webhooks journal: the last days of each account's events, read by offset.

HubSpot keeps 3 days of events per install, each entry named by a UUID offset. What an entry's
file holds is not in HubSpot's reference; the simulator writes one event per entry in the
journal's own vocabulary (its subscription types OBJECT, GDPR_PRIVACY_DELETION and
APP_LIFECYCLE_EVENT, and actions CREATE, UPDATE, DELETE, GDPR_DELETE, APP_INSTALL and
APP_UNINSTALL, as its subscription API names them), with the webhook event's other fields.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devstack.hubspot_simulator.objects import CONTACTS
from devstack.hubspot_simulator.webhook_events import LIFECYCLE

RETENTION_SECONDS = 3 * 24 * 3600
# Webhook subscription types as the journal names them: (subscription type, action).
_FROM_WEBHOOK = {
    "object.creation": ("OBJECT", "CREATE"),
    "object.propertyChange": ("OBJECT", "UPDATE"),
    "object.deletion": ("OBJECT", "DELETE"),
    "contact.privacyDeletion": ("GDPR_PRIVACY_DELETION", "GDPR_DELETE"),
}


@dataclass(frozen=True)
class Entry:
    offset: str
    portal_id: int
    event: dict[str, Any]
    recorded_at: float


class Journal:
    """Thread-safe, oldest entry first; `clock` (seconds) is injectable so tests move time."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def record(self, events: list[dict[str, Any]]) -> None:
        """Webhook-shaped events, or lifecycle events, each with its `portalId`."""
        now = self._clock()
        entries = [Entry(str(uuid.uuid4()), e["portalId"], journal_event(e), now) for e in events]
        with self._lock:
            self._entries.extend(entries)

    def entries(self, portal_id: int | None) -> list[Entry]:
        """The live entries of one install, or of all when `portal_id` is None."""
        oldest = self._clock() - RETENTION_SECONDS
        with self._lock:
            self._entries = [entry for entry in self._entries if entry.recorded_at > oldest]
            return [entry for entry in self._entries if portal_id in (None, entry.portal_id)]

    def reset(self) -> None:
        with self._lock:
            self._entries: list[Entry] = []


def journal_event(event: dict[str, Any]) -> dict[str, Any]:
    """A webhook event in the journal's vocabulary; lifecycle events are journal-only."""
    kept = {k: v for k, v in event.items() if k not in ("attemptNumber", "changeFlag")}
    if event["subscriptionType"] == LIFECYCLE:
        return kept
    subscription_type, action = _FROM_WEBHOOK[event["subscriptionType"]]
    kept.setdefault("objectTypeId", CONTACTS.type_id)
    return {**kept, "subscriptionType": subscription_type, "action": action}
