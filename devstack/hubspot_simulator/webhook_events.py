"""Generic-subscription webhook events for activity changes, shaped like HubSpot's.

Only activities (tasks, notes, meetings, calls, emails) have subscriptions here. An update
yields one `object.propertyChange` event per property whose value changed. `attemptNumber`
is added by the sender on each attempt.
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

    def _events(
        self, record: StoredObject, kind: str, source: str, occurred_at: int
    ) -> list[dict[str, Any]]:
        object_type: ObjectType = record.object_type
        if not object_type.is_activity:
            return []
        event: dict[str, Any] = {
            "eventId": self._event_ids.next(),
            "subscriptionId": SUBSCRIPTION_IDS[(object_type.type_id, kind)],
            "portalId": self.portal_id,
            "appId": self.app_id,
            "occurredAt": occurred_at,
            "subscriptionType": kind,
            "attemptNumber": 0,
            "objectId": int(record.id),
            "objectTypeId": object_type.type_id,
            "changeSource": source,
        }
        flag = {"object.creation": "NEW", "object.deletion": "DELETED"}.get(kind)
        if flag is not None:
            event["changeFlag"] = flag
        return [event]
