"""The app card's requests: signed by HubSpot (v3), naming a HubSpot user in the signed URL,
listed per CRM record and scoped to that user's rep exactly as a Supabase token is."""

import json
import time
from urllib.parse import urlencode

import pytest

from devstack.mint import local_user
from tests.webhook_receiver.test_api import JAMES, MARIA, headers_for
from tests.webhook_receiver.test_api import processed as processed
from tests.webhook_signing import v3_headers
from webhook_receiver import create_app

SECRET = "test-client-secret-5f1c"  # the suite's HUBSPOT_CLIENT_SECRET
PUBLIC_BASE = "http://127.0.0.1:8000"  # the suite's WEBHOOK_PUBLIC_BASE_URL


@pytest.fixture
def client(database_url, redis_url, simulator):
    return create_app().test_client()


@pytest.fixture
def reps(database_url):
    """Maria and James have signed in once: the project knows them as users."""
    return {email: local_user(database_url, email) for email in (MARIA, JAMES)}


def signed(
    client,
    method: str,
    path: str,
    email: str,
    payload: dict | None = None,
    secret: str = SECRET,
    timestamp_ms: int | None = None,
    sent_email: str | None = None,
    portal: str = "62515",
):
    """A request as hubspot.fetch sends it: HubSpot's query parameters appended, signed."""
    query = {"userId": "7001", "userEmail": email, "portalId": portal, "appId": "4321"}
    url = f"{path}?{urlencode(query)}"
    body = json.dumps(payload).encode() if payload is not None else b""
    headers = v3_headers(secret, PUBLIC_BASE + url, body, timestamp_ms, method)
    if sent_email is not None:  # what arrives is not what HubSpot signed
        url = f"{path}?{urlencode({**query, 'userEmail': sent_email})}"
    return client.open(url, method=method, data=body, headers=headers)


def contact_of_first_run(client, database_url) -> tuple[str, set[str]]:
    """A contact on one of Maria's activities, and the ids of all Maria's open runs."""
    maria = headers_for(database_url, MARIA)
    runs = client.get("/api/v1/runs?include=activity&dismissed=false", headers=maria).json["runs"]
    contact = runs[0]["activity"]["contacts"][0]["id"]
    return contact, {run["id"] for run in runs if run["status"] == "completed"}


def test_a_signed_request_lists_the_records_suggestions_for_the_mapped_rep(
    client, processed, database_url, reps
):
    contact, marias = contact_of_first_run(client, database_url)

    response = signed(client, "GET", f"/api/v1/records/contacts/{contact}/runs", MARIA)

    assert response.status_code == 200, response.json
    runs = response.json["runs"]
    assert runs and {run["id"] for run in runs} <= marias
    assert len({run["activity_id"] for run in runs}) == len(runs)  # the newest run of each
    for run in runs:
        assert contact in {c["id"] for c in run["activity"]["contacts"]}
        assert run["activity"]["occurred_at"]
    assert all(run["drafts"] and run["recommendation"]["recommended_due"] for run in runs)


def test_another_reps_runs_are_not_listed(client, processed, database_url, reps):
    contact, marias = contact_of_first_run(client, database_url)

    response = signed(client, "GET", f"/api/v1/records/contacts/{contact}/runs", JAMES)

    assert response.status_code == 200
    assert not {run["id"] for run in response.json["runs"]} & marias


def test_a_dismissed_run_leaves_the_card(client, processed, database_url, reps):
    contact, _ = contact_of_first_run(client, database_url)
    path = f"/api/v1/records/contacts/{contact}/runs"
    [first, *rest] = signed(client, "GET", path, MARIA).json["runs"]

    dismissed = signed(client, "POST", f"/api/v1/runs/{first['id']}/dismiss", MARIA)

    assert dismissed.status_code == 200
    assert signed(client, "GET", path, MARIA).json["runs"] == rest


def test_a_signed_accept_starts_a_job_the_card_can_follow(client, processed, database_url, reps):
    contact, _ = contact_of_first_run(client, database_url)
    [run, *_] = signed(client, "GET", f"/api/v1/records/contacts/{contact}/runs", MARIA).json[
        "runs"
    ]
    draft = run["drafts"][0]["id"]

    started = signed(
        client, "POST", f"/api/v1/drafts/{draft}/accept", MARIA, {"text": "Edited in HubSpot"}
    )
    job = signed(client, "GET", started.json["status_url"], MARIA)

    assert started.status_code == 202, started.json
    assert job.status_code == 200 and job.json["user_id"] == str(reps[MARIA])
    assert signed(client, "GET", started.json["status_url"], JAMES).status_code == 404


def test_a_wrong_signature_is_refused(client, processed, reps):
    response = signed(
        client, "GET", "/api/v1/records/contacts/1/runs", MARIA, secret="not-the-secret"
    )

    assert response.status_code == 401
    assert response.json["error"] == "invalid_signature"


def test_a_user_other_than_the_signed_one_is_refused(client, processed, reps):
    response = signed(client, "GET", "/api/v1/runs", JAMES, sent_email=MARIA)

    assert response.status_code == 401
    assert response.json["error"] == "invalid_signature"


@pytest.mark.parametrize("age_ms", [6 * 60 * 1000, -6 * 60 * 1000])
def test_a_stale_or_future_timestamp_is_refused(client, processed, reps, age_ms):
    timestamp = int(time.time() * 1000) - age_ms

    response = signed(client, "GET", "/api/v1/runs", MARIA, timestamp_ms=timestamp)

    assert response.status_code == 401
    assert "5-minute window" in response.json["message"]


def test_a_request_from_another_hubspot_account_is_refused(client, processed, database_url, reps):
    contact, _ = contact_of_first_run(client, database_url)

    response = signed(
        client, "GET", f"/api/v1/records/contacts/{contact}/runs", MARIA, portal="7000001"
    )

    assert response.status_code == 403
    assert response.json["error"] == "account_not_served"


def test_a_hubspot_user_who_is_no_rep_gets_403(client, processed, reps):
    response = signed(client, "GET", "/api/v1/runs", "nobody@elsewhere.example")

    assert response.status_code == 403
    assert response.json["error"] == "unknown_hubspot_user"


def test_neither_token_nor_signature_gets_401(client):
    response = client.get("/api/v1/records/contacts/1/runs")

    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert "HubSpot app card" in response.json["message"]


@pytest.mark.parametrize(
    "path", ["/api/v1/records/tickets/1/runs", "/api/v1/records/contacts/x/runs"]
)
def test_only_contacts_companies_and_deals_by_id(client, processed, database_url, path):
    response = client.get(path, headers=headers_for(database_url, MARIA))

    assert response.status_code == 404
