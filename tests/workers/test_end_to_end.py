"""Webhook to drafts stored: simulator → receiver → Redis → a real worker → Postgres."""

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from devstack.processes import wait_until
from tests import webhook_signing as sign
from tests.devstack.hubspot_simulator.support import Admin
from tests.workers.conftest import run_counts, wait_for_runs

pytestmark = pytest.mark.slow


def new_notes(count: int) -> list[dict]:
    return [
        {
            "type": "note",
            "properties": {
                "hs_timestamp": "2026-03-04T15:00:00Z",
                "hs_note_body": f"Call with Dana Ortiz #{i}: wants pricing for 50 seats "
                "before Friday's budget review",
            },
        }
        for i in range(count)
    ]


def test_activities_created_in_hubspot_end_up_as_drafts(
    start_simulator, receiver_url, start_worker, database_url
):
    simulator = start_simulator(
        webhook_target_url=f"{receiver_url}/webhooks/hubspot",
        duplicate_webhook_rate=0.5,
        load_demo_data=False,
    )
    start_worker()
    admin = Admin(simulator.url)

    admin.post("/activities", {"activities": new_notes(12)})
    admin.flush()
    counts = wait_for_runs(database_url, 12)

    assert counts == {"completed": 12}
    with psycopg.connect(database_url) as conn:
        per_run = conn.execute(
            "select l.activity_id, count(d.id) from ai_processing_logs l "
            "join ai_generated_drafts d on d.run_id = l.id group by 1"
        ).fetchall()
        recommendations = conn.execute("select count(*) from touch_date_recommendations")
        assert recommendations.fetchone()[0] == 12
    assert len(per_run) == 12 and all(drafts >= 2 for _, drafts in per_run)


def test_concurrent_repeated_deliveries_are_processed_once(
    simulator, receiver_url, start_worker, database_url
):
    """The same signed batch delivered 8 times at once, and again later: one run each."""
    since = "2020-01-01T00:00:00Z"
    ids = [
        r["id"]
        for r in requests.post(
            f"{simulator.url}/crm/objects/2026-03/calls/search",
            json={
                "filterGroups": [
                    {
                        "filters": [
                            {
                                "propertyName": "hs_lastmodifieddate",
                                "operator": "GTE",
                                "value": since,
                            }
                        ]
                    }
                ],
                "limit": 100,
            },
            headers={"Authorization": "Bearer test-access-token-9a7e"},
            timeout=10,
        ).json()["results"]
    ]
    events = [
        sign.activity_event(object_id=int(i), event_id=n, type_id="0-48") for n, i in enumerate(ids)
    ]
    body = sign.body_of(events)
    url = f"{receiver_url}/webhooks/hubspot"

    def deliver(_: int) -> int:
        headers = sign.v3_headers("test-client-secret-5f1c", url, body)
        return requests.post(url, data=body, headers=headers, timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(deliver, range(8)))
    start_worker()
    wait_for_runs(database_url, len(ids))
    assert deliver(0) == 200

    assert statuses == [200] * 8
    assert run_counts(database_url) == {"completed": len(ids)}


def test_an_accepted_draft_reaches_hubspot_through_the_apply_worker(
    start_simulator, receiver_url, start_worker, database_url
):
    """Webhook → drafts → the rep accepts over the API → the apply worker writes HubSpot."""
    from devstack.mint import local_user, mint_token
    from shared.settings import get_settings

    simulator = start_simulator(webhook_target_url=f"{receiver_url}/webhooks/hubspot")
    start_worker()
    start_worker(queue="apply")
    admin = Admin(simulator.url)
    [note] = admin.post(
        "/activities",
        {
            "activities": [
                {
                    "type": "note",
                    "contacts": [],
                    "properties": {
                        "hs_timestamp": "2026-03-04T15:00:00Z",
                        "hubspot_owner_id": "71000001",
                        "hs_note_body": "Dana wants pricing for 50 seats by Friday",
                    },
                }
            ]
        },
    )["results"]
    admin.flush()
    wait_for_runs(database_url, 1)
    email = "maria.chen@brightlane.example"
    secret = get_settings().supabase_jwt_secret.get_secret_value()
    headers = {
        "Authorization": "Bearer " + mint_token(secret, local_user(database_url, email), email)
    }
    api = f"{receiver_url}/api/v1"

    detail = requests.get(f"{api}/activities/{note['id']}", headers=headers, timeout=10).json()
    draft = detail["runs"][0]["drafts"][0]
    accepted = requests.post(
        f"{api}/drafts/{draft['id']}/accept",
        headers=headers,
        json={"text": "Hi Dana, pricing attached."},
        timeout=10,
    )
    status_url = receiver_url + accepted.json()["status_url"]
    wait_until(
        lambda: requests.get(status_url, headers=headers, timeout=10).json()["status"] == "applied",
        30,
        "the apply job",
    )

    assert accepted.status_code == 202
    [created] = admin.get("/writes", objectType="tasks", kind="create")["results"]
    assert created["properties"]["hs_task_body"] == "Hi Dana, pricing attached."
    assert created["properties"]["hubspot_owner_id"] == "71000001"
