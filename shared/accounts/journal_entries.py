"""What the files of webhooks-journal entries say, in the service's terms.

HubSpot's reference does not describe an entry's file. The journal names an event the way its
subscription API does, a subscription type (``OBJECT``, ``GDPR_PRIVACY_DELETION``,
``APP_LIFECYCLE_EVENT``) and an action (``CREATE``, ``UPDATE``, ``DELETE``, ``GDPR_DELETE``,
``APP_INSTALL``, ``APP_UNINSTALL``), beside a webhook event's fields (``eventId``,
``portalId``, ``occurredAt``, ``objectId``, ``objectTypeId``, ``propertyName``...). Object
and privacy-deletion actions each match one webhook subscription type, so those entries
become the ``WebhookEvent`` a delivered webhook would have been and take the same path;
install and uninstall become a ``LifecycleEvent``. Anything else is counted as not
understood and passed over, so one unknown entry never stops an account's journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from shared.webhooks.events import PROPERTY_CHANGE, WebhookEvent

LIFECYCLE = "APP_LIFECYCLE_EVENT"
APP_INSTALL = "APP_INSTALL"
APP_UNINSTALL = "APP_UNINSTALL"
_AS_WEBHOOK = {
    ("OBJECT", "CREATE"): "object.creation",
    ("OBJECT", "UPDATE"): PROPERTY_CHANGE,
    ("OBJECT", "DELETE"): "object.deletion",
    ("GDPR_PRIVACY_DELETION", "GDPR_DELETE"): "contact.privacyDeletion",
}


@dataclass(frozen=True)
class LifecycleEvent:
    """The app installed in or uninstalled from an account."""

    portal_id: int
    action: str  # APP_INSTALL or APP_UNINSTALL
    occurred_at: datetime


@dataclass
class JournalEvents:
    crm: list[WebhookEvent] = field(default_factory=list)
    lifecycle: list[LifecycleEvent] = field(default_factory=list)
    not_understood: int = 0


def sort_entries(files: list[Any]) -> JournalEvents:
    """The entries' files, oldest first, as CRM and lifecycle events."""
    events = JournalEvents()
    for entry in files:
        understood = _as_event(entry) if isinstance(entry, dict) else None
        if isinstance(understood, WebhookEvent):
            events.crm.append(understood)
        elif isinstance(understood, LifecycleEvent):
            events.lifecycle.append(understood)
        else:
            events.not_understood += 1
    return events


def _as_event(entry: dict[str, Any]) -> WebhookEvent | LifecycleEvent | None:
    kind = (str(entry.get("subscriptionType")), str(entry.get("action")))
    if kind in ((LIFECYCLE, APP_INSTALL), (LIFECYCLE, APP_UNINSTALL)):
        return _lifecycle(entry)
    subscription_type = _AS_WEBHOOK.get(kind)
    if subscription_type is None:
        return None
    fields = {name: value for name, value in entry.items() if name != "action"}
    try:
        return WebhookEvent.model_validate({**fields, "subscriptionType": subscription_type})
    except ValidationError:
        return None


def _lifecycle(entry: dict[str, Any]) -> LifecycleEvent | None:
    portal_id, occurred_at = entry.get("portalId"), entry.get("occurredAt")
    if not isinstance(portal_id, int) or not isinstance(occurred_at, int):
        return None
    moment = datetime.fromtimestamp(occurred_at / 1000, UTC)
    return LifecycleEvent(portal_id, str(entry["action"]), moment)
