"""Input a hostile client sends, each answered with a 4xx that says what is wrong, with
nothing enqueued and nothing stored. Every case here answered 500 once."""

import json
import time
import uuid

import jwt
import psycopg
import pytest

from devstack.mint import local_user, mint_token
from tests import webhook_signing as sign
from tests.webhook_receiver.conftest import PUBLIC_BASE, SECRET, queued_events
from tests.webhook_receiver.test_api import SECRET as JWT_SECRET
from tests.webhook_receiver.test_api import headers_for

URI = PUBLIC_BASE + "/webhooks/hubspot"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def delivery_with(property_value_json: str) -> bytes:
    """A property-change event whose propertyValue is the given JSON text, as raw bytes:
    json.dumps could not even write some of these."""
    event = sign.activity_event(subscription="object.propertyChange", propertyName="hs_note_body")
    text = json.dumps([{**event, "propertyValue": "@value"}])
    return text.replace('"@value"', property_value_json).encode()


# -- webhooks ----------------------------------------------------------------------------


def test_a_timestamp_of_5000_digits_is_a_malformed_signature(client, broker):
    body = sign.body_of([sign.activity_event()])
    headers = {**sign.v3_headers(SECRET, URI, body), "X-HubSpot-Request-Timestamp": "9" * 5000}

    response = client.post("/webhooks/hubspot", data=body, headers=headers)

    assert response.status_code == 401
    assert "X-HubSpot-Request-Timestamp" in response.json["message"]
    assert queued_events(broker) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (nested(600), "nested"),
        (nested(900), "nested"),
        ("9" * 4301, "number"),
        ("-" + "9" * 5000, "number"),
        ("9" * 30, "number"),
        ('"\\ud800"', "surrogate"),
        ("NaN", "number"),
        ("Infinity", "number"),
    ],
)
def test_signed_events_with_values_nothing_downstream_can_hold_are_refused(
    client, broker, value, problem
):
    body = delivery_with(value)

    response = client.post(
        "/webhooks/hubspot", data=body, headers=sign.v3_headers(SECRET, URI, body)
    )

    assert response.status_code == 400, response.data[:300]
    assert response.json["error"] == "invalid_payload"
    assert problem in response.json["message"]
    assert queued_events(broker) == []


@pytest.mark.parametrize("field", ["eventId", "objectId", "portalId", "occurredAt"])
def test_ids_beyond_64_bits_are_field_errors(client, broker, field):
    text = json.dumps([{**sign.activity_event(), field: "@big"}]).replace('"@big"', "9" * 4400)
    body = text.encode()

    response = client.post(
        "/webhooks/hubspot", data=body, headers=sign.v3_headers(SECRET, URI, body)
    )

    assert response.status_code == 400
    assert queued_events(broker) == []


# -- tokens and the session --------------------------------------------------------------


@pytest.fixture
def api(database_url, redis_url, simulator):
    from webhook_receiver import create_app

    return create_app().test_client()


@pytest.mark.parametrize("email", [["maria.chen@brightlane.example"], 42, {"a": 1}])
def test_an_email_claim_that_is_not_a_string_is_an_invalid_token(api, database_url, email):
    user = local_user(database_url, "maria.chen@brightlane.example")
    claims = {"sub": str(user), "aud": "authenticated", "exp": int(time.time()) + 60}
    token = jwt.encode({**claims, "email": email}, JWT_SECRET, algorithm="HS256")
    headers = {"Authorization": f"Bearer {token}"}

    response = api.get("/api/v1/runs", headers=headers)

    assert response.status_code == 401
    assert "email" in response.json["message"]


@pytest.mark.parametrize("path", ["/api/v1/session", "/api/v1/runs"])
def test_a_valid_token_for_a_user_that_does_not_exist_gets_403(api, database_url, path):
    token = mint_token(JWT_SECRET, uuid.uuid4(), "maria.chen@brightlane.example")
    headers = {"Authorization": f"Bearer {token}"}

    read = api.get(path, headers=headers)
    write = api.patch("/api/v1/session", json={"metadata": {"a": 1}}, headers=headers)

    assert read.status_code == write.status_code == 403
    assert read.json["error"] == "user_not_found"
    with psycopg.connect(database_url) as conn:
        assert conn.execute("select count(*) from sessions").fetchone()[0] == 0


def stored_sessions(database_url: str) -> list[dict]:
    with psycopg.connect(database_url) as conn:
        return [row[0] for row in conn.execute("select metadata from sessions").fetchall()]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('{"metadata": {"a": ' + nested(500) + "}}", "nested"),
        ('{"metadata": {"a": ' + nested(5000) + "}}", "nested"),
        ('{"metadata": {"a": "\\ud800"}}', "surrogate"),
        ('{"metadata": {"\\udfff": 1}}', "surrogate"),
        ('{"metadata": {"a": NaN}}', "number"),
        ('{"metadata": {"a": ' + "9" * 5000 + "}}", "number"),
        ('{"metadata": {"a": "nul \\u0000 inside"}}', "NUL"),
    ],
)
def test_session_metadata_nothing_can_store_is_refused(api, database_url, raw, problem):
    headers = headers_for(database_url, "maria.chen@brightlane.example")

    response = api.patch(
        "/api/v1/session", data=raw, content_type="application/json", headers=headers
    )

    assert response.status_code in (400, 422), response.data[:300]
    assert problem in json.dumps(response.json)
    assert all(metadata == {} for metadata in stored_sessions(database_url))


def test_session_metadata_stops_growing_at_its_cap(api, database_url):
    headers = headers_for(database_url, "maria.chen@brightlane.example")
    chunk = "x" * 1000
    answers = [
        api.patch(
            "/api/v1/session",
            json={"metadata": {f"k{n}-{i}": chunk for i in range(5)}},
            headers=headers,
        )
        for n in range(12)
    ]

    statuses = [answer.status_code for answer in answers]
    assert statuses[0] == 200 and statuses[-1] == 413, statuses
    assert "16384 bytes" in answers[-1].json["message"]
    [stored] = stored_sessions(database_url)
    assert len(json.dumps(stored)) <= 16384


def test_a_null_removes_a_session_key_so_a_full_session_can_shrink(api, database_url):
    headers = headers_for(database_url, "maria.chen@brightlane.example")
    api.patch("/api/v1/session", json={"metadata": {"a": 1, "b": 2}}, headers=headers)

    answer = api.patch("/api/v1/session", json={"metadata": {"a": None}}, headers=headers)

    assert answer.json["metadata"] == {"b": 2}
