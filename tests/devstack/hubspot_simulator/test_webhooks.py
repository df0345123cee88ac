"""Webhook delivery to a real HTTP receiver: shape, signatures, batching, retries, faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import requests

# Webhook signatures are not part of the CRM SDK; the receiver verifies them with
# hubspot-api-client's helper (shared/webhooks/signature.py), so the check uses it too.
from hubspot.utils.signature import Signature

from tests.devstack.hubspot_simulator.support import (
    APP_ID,
    CLIENT_SECRET,
    PORTAL_ID,
    Receiver,
    Running,
    poll,
    wait_until,
)

DUE = "2025-03-03T15:00:00Z"


def create_task(sim: Running, **properties: str) -> str:
    properties = {"hs_timestamp": DUE, **properties}
    return sim.client.crm.objects.tasks.create(properties=properties, associations=[]).id


def activities(count: int, kind: str = "notes") -> list[dict[str, Any]]:
    return [
        {"type": kind, "properties": {"hs_timestamp": "-1d", "hs_note_body": f"Note {i}"}}
        for i in range(count)
    ]


def test_creation_event_shape(hooked: Running, receiver: Receiver) -> None:
    task_id = create_task(hooked)
    hooked.admin.flush()

    [event] = receiver.events()
    assert event["subscriptionType"] == "object.creation"
    assert event["objectTypeId"] == "0-27"
    assert event["objectId"] == int(task_id)
    assert event["changeFlag"] == "NEW"
    assert event["changeSource"] == "INTEGRATION"
    assert (event["portalId"], event["appId"], event["attemptNumber"]) == (PORTAL_ID, APP_ID, 0)
    assert isinstance(event["eventId"], int) and isinstance(event["subscriptionId"], int)
    assert abs(event["occurredAt"] - time.time() * 1000) < 60_000


def test_v3_and_v1_signatures_verify_independently(hooked: Running, receiver: Receiver) -> None:
    create_task(hooked)
    hooked.admin.flush()

    [post] = receiver.received
    timestamp = post.headers["X-Hubspot-Request-Timestamp"]
    message = f"POST{post.url}{post.body}{timestamp}".encode()
    expected = hmac.new(CLIENT_SECRET.encode(), message, hashlib.sha256).digest()
    assert post.headers["X-Hubspot-Signature-V3"] == base64.b64encode(expected).decode()
    assert abs(int(timestamp) - time.time() * 1000) < 60_000
    v1 = hashlib.sha256(f"{CLIENT_SECRET}{post.body}".encode()).hexdigest()
    assert post.headers["X-Hubspot-Signature"] == v1
    assert post.headers["X-Hubspot-Signature-Version"] == "v1"
    # And the library the receiver will use agrees.
    assert Signature.is_valid(
        post.headers["X-Hubspot-Signature-V3"],
        CLIENT_SECRET,
        post.body,
        post.url,
        signature_version="v3",
        timestamp=timestamp,
    )


def test_property_changes_and_deletion_from_api_and_crm_ui(
    hooked: Running, receiver: Receiver
) -> None:
    task_id = create_task(hooked, hs_task_status="NOT_STARTED")
    tasks = hooked.client.crm.objects.tasks
    change = {"hs_task_status": "COMPLETED", "hs_task_priority": "HIGH"}
    tasks.update(task_id, properties=change)
    tasks.update(task_id, properties=change)  # no change: no event
    hooked.admin.flush()
    api_events = receiver.events()
    receiver.received.clear()

    rep_edit = {"properties": {"hs_task_subject": "Renamed"}}
    assert requests.patch(admin_task(hooked, task_id), json=rep_edit, timeout=5).ok
    assert requests.delete(admin_task(hooked, task_id), timeout=5).status_code == 204
    hooked.admin.flush()

    changes = [e for e in api_events if e["subscriptionType"] == "object.propertyChange"]
    assert {(e["propertyName"], e["propertyValue"]) for e in changes} == set(change.items())
    assert len(api_events) == 3
    assert {e["changeSource"] for e in changes} == {"INTEGRATION"}
    ui_change, deletion = sorted(receiver.events(), key=lambda e: e["eventId"])
    assert (ui_change["propertyName"], ui_change["changeSource"]) == ("hs_task_subject", "CRM_UI")
    assert (deletion["subscriptionType"], deletion["changeFlag"]) == ("object.deletion", "DELETED")
    assert deletion["objectId"] == int(task_id)


def admin_task(sim: Running, task_id: str) -> str:
    return f"{sim.admin.url}/objects/tasks/{task_id}"


def test_contacts_and_companies_emit_no_activity_events(
    hooked: Running, receiver: Receiver
) -> None:
    hooked.admin.post("/activities", {"type": "contacts", "properties": {"email": "a@b.example"}})
    hooked.admin.flush()
    assert receiver.received == []
    assert hooked.admin.get("/stats")["webhooks"]["attempts"] == 0


def test_150_quick_activities_arrive_in_batches_of_at_most_100(
    hooked: Running, receiver: Receiver
) -> None:
    hooked.admin.post("/activities", {"activities": activities(150)})
    hooked.admin.flush()

    sizes = [len(post.events) for post in receiver.received]
    assert max(sizes) <= 100
    assert len(sizes) >= 2
    assert len({event["eventId"] for event in receiver.events()}) == 150
    assert hooked.admin.get("/stats")["webhooks"]["events_delivered"] == 150


def test_events_close_together_share_one_post(start_simulator: Any, receiver: Receiver) -> None:
    sim = start_simulator(webhook_target_url=receiver.url, webhook_flush_interval_seconds=0.5)
    sim.admin.post("/activities", activities(3))
    sim.admin.post("/activities", activities(2, kind="notes"))
    sim.admin.flush()
    assert [len(post.events) for post in receiver.received] == [5]


def test_failed_delivery_is_retried_with_increasing_attempt_number(
    hooked: Running, receiver: Receiver
) -> None:
    receiver.script = [500, 401]
    create_task(hooked)
    hooked.admin.flush()

    attempts = [(post.status, post.events[0]["attemptNumber"]) for post in receiver.received]
    assert attempts == [(500, 0), (401, 1), (200, 2)]
    assert len({post.events[0]["eventId"] for post in receiver.received}) == 1
    stats = hooked.admin.get("/stats")["webhooks"]
    assert (stats["attempts"], stats["failed"], stats["succeeded"]) == (3, 2, 1)
    assert [d["attempt_number"] for d in stats["deliveries"]] == [0, 1, 2]


def test_timeouts_are_retried(start_simulator: Any, receiver: Receiver) -> None:
    sim = start_simulator(webhook_target_url=receiver.url, webhook_timeout_seconds=0.2)
    receiver.hold = 1
    create_task(sim)
    sim.admin.flush()
    receiver.release.set()

    deliveries = sim.admin.get("/stats")["webhooks"]["deliveries"]
    assert [(d["error"], d["attempt_number"]) for d in deliveries] == [("timeout", 0), (None, 1)]


def test_delivery_gives_up_after_max_attempts(start_simulator: Any, receiver: Receiver) -> None:
    sim = start_simulator(webhook_target_url=receiver.url, webhook_max_attempts=3)
    receiver.script = [503] * 10
    create_task(sim)
    sim.admin.flush()

    stats = sim.admin.get("/stats")["webhooks"]
    assert (stats["attempts"], stats["gave_up"], stats["pending"]) == (3, 1, 0)
    assert len(receiver.received) == 3


def test_duplicate_rate_one_sends_every_batch_twice(
    start_simulator: Any, receiver: Receiver
) -> None:
    sim = start_simulator(webhook_target_url=receiver.url, duplicate_webhook_rate=1.0)
    create_task(sim)
    sim.admin.flush()

    ids = [event["eventId"] for event in receiver.events()]
    assert len(ids) == 2 and len(set(ids)) == 1
    deliveries = sim.admin.get("/stats")["webhooks"]["deliveries"]
    assert sorted(d["duplicate"] for d in deliveries) == [False, True]


def test_at_most_max_in_flight_posts_at_once(start_simulator: Any, receiver: Receiver) -> None:
    sim = start_simulator(
        webhook_target_url=receiver.url, webhook_batch_size=1, webhook_max_in_flight=2
    )
    receiver.hold = 100
    sim.admin.post("/activities", activities(5))
    wait_until(lambda: receiver.in_flight == 2)
    # A negative can only be observed over time: give a third POST the chance to show up.
    assert not poll(lambda: receiver.in_flight > 2, timeout=0.3)
    receiver.release.set()
    sim.admin.flush()

    assert receiver.max_in_flight == 2
    assert len(receiver.events()) == 5


def test_api_calls_do_not_wait_for_webhooks(hooked: Running, receiver: Receiver) -> None:
    receiver.hold = 100
    create_task(hooked)
    wait_until(lambda: receiver.in_flight == 1)
    started = time.monotonic()
    create_task(hooked)
    assert time.monotonic() - started < 0.5
    assert receiver.received == []  # the first delivery is still being held
    receiver.release.set()
    hooked.admin.flush()
    assert len(receiver.events()) == 2
