"""Journal entries in the service's terms: object and privacy events become the webhook event
they stand for, installs and uninstalls lifecycle events, anything else is not understood."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devstack.hubspot_simulator.journal import journal_event
from shared.accounts.journal_entries import LifecycleEvent, sort_entries
from shared.webhooks.events import WebhookEvent

PORTAL = 62515
COMMON = {"subscriptionId": 4_000_001, "portalId": PORTAL, "appId": 4242, "attemptNumber": 0}
WEBHOOKS = [
    {"eventId": 11, "subscriptionType": "object.creation", "objectId": 501, "changeFlag": "NEW"},
    {
        "eventId": 12,
        "subscriptionType": "object.propertyChange",
        "objectId": 501,
        "propertyName": "hs_task_status",
        "propertyValue": "COMPLETED",
    },
    {"eventId": 13, "subscriptionType": "object.deletion", "objectId": 501},
]


@pytest.mark.parametrize("webhook", WEBHOOKS, ids=lambda w: w["subscriptionType"])
def test_an_object_entry_is_the_webhook_event_it_stands_for(webhook):
    delivered = {
        **COMMON,
        **webhook,
        "occurredAt": 1_764_979_200_000,
        "objectTypeId": "0-27",
        "changeSource": "CRM_UI",
    }

    events = sort_entries([journal_event(delivered)])

    # The journal keeps no changeFlag, which only repeats what the subscription type says.
    without_flag = {name: value for name, value in delivered.items() if name != "changeFlag"}
    assert events.crm == [WebhookEvent.model_validate(without_flag)]
    assert events.crm[0].is_activity_event
    assert (events.lifecycle, events.not_understood) == ([], 0)


def test_installs_and_uninstalls_are_lifecycle_events():
    entries = [
        {**COMMON, "eventId": 14, "subscriptionType": "APP_LIFECYCLE_EVENT", "action": action}
        | {"occurredAt": 1_764_979_200_000}
        for action in ("APP_INSTALL", "APP_UNINSTALL")
    ]

    events = sort_entries(entries)

    moment = datetime(2025, 12, 6, tzinfo=UTC)
    assert events.lifecycle == [
        LifecycleEvent(PORTAL, "APP_INSTALL", moment),
        LifecycleEvent(PORTAL, "APP_UNINSTALL", moment),
    ]
    assert events.crm == []


def test_entries_of_unknown_kinds_or_shapes_are_counted_not_understood():
    entries = [
        {**COMMON, "eventId": 15, "subscriptionType": "OBJECT", "action": "MERGE"},
        {**COMMON, "subscriptionType": "OBJECT", "action": "CREATE"},  # no eventId
        {"subscriptionType": "APP_LIFECYCLE_EVENT", "action": "APP_UNINSTALL"},  # no portal
        ["not", "an", "object"],
        None,
    ]

    events = sort_entries(entries)

    assert (events.crm, events.lifecycle, events.not_understood) == ([], [], 5)
