"""POST /webhooks/hubspot against a real Redis broker."""

import json
import time

import pytest

from shared.exposition import render
from shared.pipeline.claims import EventClaims
from shared.pipeline.ingest import ingest_events
from shared.settings import get_settings
from shared.webhooks.events import parse_events
from tests import webhook_signing as sign
from tests.prometheus_text import value
from tests.webhook_receiver.conftest import PUBLIC_BASE, SECRET, queued_events
from webhook_receiver import create_app

PATH = "/webhooks/hubspot"
URI = PUBLIC_BASE + PATH


def post(client, events=None, *, body=None, headers=None, path=PATH, uri=URI):
    body = sign.body_of(events or [sign.activity_event()]) if body is None else body
    return client.post(path, data=body, headers=headers or sign.v3_headers(SECRET, uri, body))


def test_a_signed_batch_is_enqueued_as_one_message(client, broker):
    events = [sign.activity_event(object_id=100 + i, event_id=i) for i in range(100)]

    response = post(client, events)

    assert response.status_code == 200
    assert response.json == {"accepted": 100, "duplicates": 0, "ignored": 0}
    [message] = queued_events(broker)
    assert [e["objectId"] for e in message] == [100 + i for i in range(100)]


def test_a_query_string_with_escapes_is_part_of_the_signed_url(client, broker):
    path = PATH + "?portal=62515&next=%2Fa%3Fb%40c%20d"
    body = sign.body_of([sign.activity_event()])

    response = post(client, body=body, path=path, uri=PUBLIC_BASE + path)

    assert response.status_code == 200
    assert len(queued_events(broker)) == 1


def v1_only(body: bytes) -> dict[str, str]:
    """What is left of a delivery when its v3 headers are stripped: the v1 signature."""
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": "v1",
        "X-HubSpot-Signature": sign.v1(SECRET, body),
    }


def test_a_week_old_delivery_stripped_to_its_v1_signature_is_refused(client, broker):
    body = sign.body_of([sign.activity_event()])
    week_ago = int((time.time() - 7 * 86400) * 1000)
    assert (
        post(client, body=body, headers=sign.v3_headers(SECRET, URI, body, week_ago)).status_code
        == 401
    )

    response = post(client, body=body, headers=v1_only(body))

    assert response.status_code == 401
    assert "v1 is not accepted" in response.json["message"]
    assert queued_events(broker) == []


@pytest.mark.parametrize("version", ["1", "2"])
def test_older_signatures_are_accepted_only_when_a_setting_lowers_the_minimum(
    redis_url, monkeypatch, version
):
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    monkeypatch.setenv("WEBHOOK_MIN_SIGNATURE_VERSION", version)
    get_settings.cache_clear()
    client = create_app().test_client()
    body = sign.body_of([sign.activity_event()])
    v2 = {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": "v2",
        "X-HubSpot-Signature": sign.v2(SECRET, "POST", URI, body),
    }

    assert post(client, body=body, headers=v2).status_code == 200
    assert post(client, body=body, headers=v1_only(body)).status_code == (
        200 if version == "1" else 401
    )


def test_a_delivery_seen_before_is_claimed_once_by_the_fan_out(client, broker, runtime):
    events = [sign.activity_event(object_id=1, event_id=1), sign.activity_event(object_id=2)]

    first = post(client, events)
    again = post(client, [{**events[0], "attemptNumber": 1}, events[1]])
    for n, message in enumerate(queued_events(broker)):
        ingest_events(runtime, message, task_id=f"ingest-{n}")

    assert first.json == again.json == {"accepted": 2, "duplicates": 0, "ignored": 0}
    assert EventClaims(broker).claim(identities(events), "ingest-0") == [True, True]
    assert EventClaims(broker).claim(identities(events), "ingest-1") == [False, False]
    assert value(render(broker), "webhook_events_duplicate_total") == 2


def identities(events: list[dict]) -> list[str]:
    return [e.identity for e in parse_events(sign.body_of(events))]


def test_duplicates_inside_one_delivery_are_dropped(client, broker):
    event = sign.activity_event()

    response = post(client, [event, event, {**event, "attemptNumber": 2}])

    assert response.json == {"accepted": 1, "duplicates": 2, "ignored": 0}
    assert len(queued_events(broker)[0]) == 1


def test_other_events_are_acknowledged_and_counted_but_not_enqueued(client, broker):
    events = [sign.activity_event(type_id="0-1"), sign.activity_event(event_id=2, type_id="0-46")]

    response = post(client, events)

    assert response.json == {"accepted": 1, "duplicates": 0, "ignored": 1}
    assert [e["objectTypeId"] for e in queued_events(broker)[0]] == ["0-46"]


def test_a_contacts_privacy_deletion_is_enqueued(client, broker):
    events = [sign.privacy_deletion_event(contact_id=12), sign.activity_event(type_id="0-2")]

    response = post(client, events)

    assert response.json == {"accepted": 1, "duplicates": 0, "ignored": 1}
    [[queued]] = queued_events(broker)
    assert (queued["subscriptionType"], queued["objectId"]) == ("contact.privacyDeletion", 12)


def test_a_delivery_with_only_other_events_enqueues_nothing(client, broker):
    response = post(client, [sign.activity_event(type_id="0-2")])

    assert response.status_code == 200
    assert response.json == {"accepted": 0, "duplicates": 0, "ignored": 1}
    assert queued_events(broker) == []


def unsigned(body):
    return {"Content-Type": "application/json"}


def wrong_secret(body):
    return sign.v3_headers("not-the-secret", URI, body)


def stale(body):
    return sign.v3_headers(SECRET, URI, body, int(time.time() * 1000) - 301_000)


def future(body):
    return sign.v3_headers(SECRET, URI, body, int(time.time() * 1000) + 301_000)


def signed_for_another_url(body):
    return sign.v3_headers(SECRET, "https://evil.example.com" + PATH, body)


@pytest.mark.parametrize(
    "make_headers", [unsigned, wrong_secret, stale, future, signed_for_another_url]
)
def test_unverifiable_requests_get_401_and_enqueue_nothing(client, broker, make_headers):
    body = sign.body_of([sign.activity_event()])

    response = post(client, body=body, headers=make_headers(body))

    assert response.status_code == 401
    assert response.json["error"] == "invalid_signature"
    assert SECRET not in response.get_data(as_text=True)
    assert queued_events(broker) == []


def test_a_rejected_delivery_is_accepted_when_sent_again_signed(client, broker):
    body = sign.body_of([sign.activity_event()])
    assert post(client, body=body, headers=wrong_secret(body)).status_code == 401

    assert post(client, body=body).json["accepted"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"eventId": 1}', "JSON array"),
        (b'["a"]', "JSON array"),
        (json.dumps([{"eventId": 1}]).encode(), "missing required fields"),
    ],
)
def test_malformed_bodies_get_400_naming_the_problem(client, broker, body, message):
    response = post(client, body=body)

    assert response.status_code == 400
    assert message in response.json["message"]
    assert queued_events(broker) == []


def test_missing_fields_are_listed_per_event(client, broker):
    event = {k: v for k, v in sign.activity_event().items() if k != "subscriptionType"}

    response = post(client, [sign.activity_event(), event])

    assert response.status_code == 400
    assert response.json["problems"] == [
        {"index": 1, "field": "subscriptionType", "problem": "Field required"}
    ]


def test_a_body_over_the_limit_gets_413(client, broker):
    body = b"[" + b" " * (1024 * 1024) + b"]"

    response = post(client, body=body)

    assert response.status_code == 413
    assert response.json["error"] == "request_entity_too_large"
    assert queued_events(broker) == []


def test_a_wrong_content_type_gets_415(client, broker):
    body = sign.body_of([sign.activity_event()])
    headers = {**sign.v3_headers(SECRET, URI, body), "Content-Type": "text/plain"}

    response = post(client, body=body, headers=headers)

    assert response.status_code == 415
    assert queued_events(broker) == []


def test_responses_never_echo_the_signature(client):
    body = sign.body_of([sign.activity_event()])
    headers = wrong_secret(body)

    response = post(client, body=body, headers=headers)

    assert headers["X-HubSpot-Signature-v3"] not in response.get_data(as_text=True)


def test_the_message_headers_summarise_the_events_instead_of_repeating_them(client, broker):
    events = [sign.activity_event(object_id=100 + i, event_id=i) for i in range(3)]

    post(client, events)

    [raw] = broker.lrange("activities", 0, -1)
    headers = json.loads(raw)["headers"]
    assert (headers["argsrepr"], headers["kwargsrepr"]) == ("<3 events>", "{}")
    assert [e["objectId"] for e in queued_events(broker)[0]] == [100, 101, 102]


@pytest.mark.parametrize(("level", "logged"), [("INFO", True), ("WARNING", False)])
def test_accepted_deliveries_are_logged_at_info(redis_url, monkeypatch, capsys, level, logged):
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    monkeypatch.setenv("LOG_LEVEL", level)
    get_settings.cache_clear()

    response = post(create_app().test_client())

    assert response.json["accepted"] == 1
    assert ("webhook_accepted" in capsys.readouterr().err) is logged
