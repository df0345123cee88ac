"""Webhook events, shaped like HubSpot's: generic-subscription events for activity changes,
and the `contact.privacyDeletion` hub event.

Only activities (tasks, notes, meetings, calls, emails) have object subscriptions here. An
update yields one `object.propertyChange` event per property whose value changed. A privacy
deletion carries the common fields and the contact's id (`objectId`), as HubSpot's webhooks
guide describes the subscription; HubSpot also sends it no matter whether the app subscribed
to contact deletions. `attemptNumber` is added by the sender on each attempt.
"""

from __future__ import annotations

from typing import Any

from devstack.hubspot_simulator.clock import to_ms
from devstack.hubspot_simulator.ids import IdSequence
from devstack.hubspot_simulator.objects import ACTIVITY_TYPES, ObjectType
from devstack.hubspot_simulator.store import StoredObject

SUBSCRIPTION_TYPES = ("object.creation", "object.propertyChange", "object.deletion")
# One subscription per (object type, subscription type), with stable made-up ids.
SUBSCRIPTION_IDS = {
    (object_type.type_id, kind): 4_000_000 + 10 * index + offset
    for index, object_type in enumerate(ACTIVITY_TYPES)
    for offset, kind in enumerate(SUBSCRIPTION_TYPES)
}
PRIVACY_DELETION = "contact.privacyDeletion"
PRIVACY_DELETION_SUBSCRIPTION_ID = 4_100_001
# Installs and uninstalls reach the app through the webhooks journal only (journal.py).
LIFECYCLE = "APP_LIFECYCLE_EVENT"
LIFECYCLE_SUBSCRIPTION_ID = 4_100_002


class EventFactory:
    """Builds events for one app in one portal; `event_ids` is shared by all portals, so event
    ids increase across the simulator."""

    def __init__(self, portal_id: int, app_id: int, event_ids: IdSequence) -> None:
        self.portal_id, self.app_id = portal_id, app_id
        self._event_ids = event_ids

    def created(self, record: StoredObject, source: str) -> list[dict[str, Any]]:
        return self._events(record, "object.creation", source, to_ms(record.created_at))

    def changed(
        self, record: StoredObject, changes: dict[str, str], source: str
    ) -> list[dict[str, Any]]:
        occurred_at = to_ms(record.updated_at)
        return [
            {**event, "propertyName": name, "propertyValue": value}
            for name, value in sorted(changes.items())
            for event in self._events(record, "object.propertyChange", source, occurred_at)
        ]

    def deleted(self, record: StoredObject, source: str) -> list[dict[str, Any]]:
        moment = record.archived_at or record.updated_at
        return self._events(record, "object.deletion", source, to_ms(moment))

    def privacy_deleted(self, contact_id: str, source: str, occurred_at: int) -> dict[str, Any]:
        event = self._common(PRIVACY_DELETION_SUBSCRIPTION_ID, PRIVACY_DELETION, occurred_at)
        return {**event, "objectId": int(contact_id), "changeSource": source}

    def lifecycle(self, action: str, occurred_at: int) -> dict[str, Any]:
        """APP_INSTALL or APP_UNINSTALL of the app in this portal."""
        event = self._common(LIFECYCLE_SUBSCRIPTION_ID, LIFECYCLE, occurred_at)
        return {**event, "action": action}

    def _events(
        self, record: StoredObject, kind: str, source: str, occurred_at: int
    ) -> list[dict[str, Any]]:
        object_type: ObjectType = record.object_type
        if not object_type.is_activity:
            return []
        event = self._common(SUBSCRIPTION_IDS[(object_type.type_id, kind)], kind, occurred_at)
        event |= {
            "objectId": int(record.id),
            "objectTypeId": object_type.type_id,
            "changeSource": source,
        }
        flag = {"object.creation": "NEW", "object.deletion": "DELETED"}.get(kind)
        if flag is not None:
            event["changeFlag"] = flag
        return [event]

    def _common(self, subscription_id: int, kind: str, occurred_at: int) -> dict[str, Any]:
        return {
            "eventId": self._event_ids.next(),
            "subscriptionId": subscription_id,
            "portalId": self.portal_id,
            "appId": self.app_id,
            "occurredAt": occurred_at,
            "subscriptionType": kind,
            "attemptNumber": 0,
        }
