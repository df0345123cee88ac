"""The approval API over real Postgres, Redis and the simulator, with real tokens."""

import base64
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import jwt
import psycopg
import pytest
import requests

from devstack.mint import local_user, mint_token
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.fetching import dispatch_run
from shared.pipeline.ingest import record_deleted
from shared.pipeline.processing import process_activity
from shared.queues import APPLY_QUEUE, PROCESS_ACTIVITY_TASK
from shared.settings import get_settings
from tests.conftest import PORTAL_ID
from tests.shared.pipeline.conftest import demo_ids
from webhook_receiver import create_app

MARIA, JAMES = "maria.chen@brightlane.example", "james.okafor@brightlane.example"
SECRET = "test-jwt-secret-with-enough-length-0123456789"  # the suite's SUPABASE_JWT_SECRET
T = TypeVar("T")


@pytest.fixture
def client(database_url, redis_url, simulator):
    return create_app().test_client()


@pytest.fixture
def processed(runtime, dispatcher):
    """Every demo note and task processed; their runs belong to the demo owners."""
    for type_name in ("note", "task"):
        for activity_id in demo_ids(runtime, type_name):
            activity = fetch_activity(runtime.hubspot, KIND_BY_NAME[type_name], activity_id)
            dispatch_run(runtime.for_account(PORTAL_ID), activity)
    for args in dispatcher.named(PROCESS_ACTIVITY_TASK):
        process_activity(runtime, *args)
    return runtime


def headers_for(database_url: str, email: str, **claims) -> dict[str, str]:
    token = mint_token(SECRET, local_user(database_url, email), email)
    if claims:
        payload = {**jwt.decode(token, options={"verify_signature": False}), **claims}
        token = jwt.encode(payload, SECRET, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


def signed_by(key: str | None, algorithm: str) -> dict[str, str]:
    """Headers with a token for a made-up user, signed however the test says."""
    claims = {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": int(time.time()) + 60}
    return {"Authorization": "Bearer " + jwt.encode(claims, key, algorithm=algorithm)}


@pytest.fixture
def maria(database_url):
    return headers_for(database_url, MARIA)


@pytest.fixture
def james(database_url):
    return headers_for(database_url, JAMES)


def first_result(client, headers) -> dict:
    [result, *_] = client.get("/api/v1/runs", headers=headers).json["runs"]
    return client.get(f"/api/v1/activities/{result['activity_id']}", headers=headers).json


def hubspot_calls(simulator) -> Counter[str]:
    """API requests the simulator answered so far, by route (its admin API not counted)."""
    stats = requests.get(f"{simulator.url}/_admin/stats?deliveries=false", timeout=10).json()
    return Counter(
        {route: entry["total"] for route, entry in stats["requests"]["by_route"].items()}
    )


def calls_during(simulator, action: Callable[[], T]) -> tuple[T, Counter[str]]:
    """What ``action`` returned, and the HubSpot API requests it made, by route."""
    before = hubspot_calls(simulator)
    result = action()
    return result, hubspot_calls(simulator) - before


def test_a_rep_lists_their_runs_page_by_page(client, processed, maria):
    first = client.get("/api/v1/runs?limit=2", headers=maria)
    second = client.get(f"/api/v1/runs?limit=2&cursor={first.json['next_cursor']}", headers=maria)

    assert first.status_code == 200 and len(first.json["runs"]) == 2
    assert first.json["next_cursor"]
    ids = [r["id"] for r in first.json["runs"] + second.json["runs"]]
    assert len(set(ids)) == len(ids)
    notes = client.get("/api/v1/runs?type=note", headers=maria).json["runs"]
    assert notes and {r["activity_type"] for r in notes} == {"note"}


def test_the_inbox_leaves_out_dismissed_runs(client, processed, maria):
    everything = client.get("/api/v1/runs", headers=maria).json["runs"]
    dismissed = everything[1]["id"]
    client.post(f"/api/v1/runs/{dismissed}/dismiss", headers=maria)

    def listed(query: str) -> list[str]:
        response = client.get(f"/api/v1/runs{query}", headers=maria)
        assert response.status_code == 200
        return [row["id"] for row in response.json["runs"]]

    assert listed("?dismissed=false") == [row["id"] for row in everything if row["id"] != dismissed]
    assert listed("?dismissed=true") == [dismissed]
    assert listed("") == [row["id"] for row in everything]


def test_the_plain_list_makes_no_hubspot_call(client, processed, maria, simulator):
    client.get("/api/v1/runs", headers=maria)  # resolves (and caches) Maria's owner

    response, calls = calls_during(simulator, lambda: client.get("/api/v1/runs", headers=maria))

    assert response.json["runs"] and calls == {}
    assert all("activity" not in row for row in response.json["runs"])
    assert "activity_error" not in response.json


def test_include_activity_adds_hubspots_copy_read_in_batches(client, processed, maria, simulator):
    client.get("/api/v1/runs", headers=maria)  # resolves (and caches) Maria's owner

    response, calls = calls_during(
        simulator, lambda: client.get("/api/v1/runs?include=activity", headers=maria)
    )

    rows = response.json["runs"]
    assert response.status_code == 200 and "activity_error" not in response.json
    for row in rows:
        kind = KIND_BY_NAME[row["activity_type"]]
        expected = fetch_activity(processed.hubspot, kind, row["activity_id"])
        assert row["activity"]["subject"] == expected.subject
        assert row["activity"]["contacts"] == [
            {"id": c.id, "name": c.name, "email": c.email} for c in expected.contacts
        ]
        assert row["activity"]["companies"] == [
            {"id": c.id, "name": c.name} for c in expected.companies
        ]
    assert any(row["activity"]["subject"] for row in rows)
    assert all(row["activity"]["contacts"] and row["activity"]["companies"] for row in rows)
    # Per activity type: one batch read, two association reads, contacts, companies.
    types = {row["activity_type"] for row in rows}
    assert len(types) == 2 and len(rows) > len(types)
    assert sum(calls.values()) == 5 * len(types)
    assert not [route for route in calls if route.startswith("GET ")]


def test_an_activity_deleted_in_hubspot_is_null(client, processed, maria, simulator):
    [gone, *others] = client.get("/api/v1/runs", headers=maria).json["runs"]
    kind = KIND_BY_NAME[gone["activity_type"]]
    requests.delete(
        f"{simulator.url}/_admin/objects/{kind.object_type}/{gone['activity_id']}", timeout=10
    ).raise_for_status()

    response = client.get("/api/v1/runs?include=activity", headers=maria)

    [first, *rest] = response.json["runs"]
    assert response.status_code == 200 and "activity_error" not in response.json
    assert first["id"] == gone["id"] and first["activity"] is None
    assert len(rest) == len(others) and all(row["activity"] for row in rest)


def test_the_list_still_answers_when_hubspot_is_down(processed, maria, simulator, monkeypatch):
    monkeypatch.setenv("HUBSPOT_MAX_ATTEMPTS", "1")  # fail at once, not after backing off
    get_settings.cache_clear()
    client = create_app().test_client()
    plain = client.get("/api/v1/runs", headers=maria).json  # caches Maria's owner
    requests.post(f"{simulator.url}/_admin/faults", json={"error_rate": 1.0}, timeout=10)

    response = client.get("/api/v1/runs?include=activity", headers=maria)

    assert response.status_code == 200
    assert [row["id"] for row in response.json["runs"]] == [row["id"] for row in plain["runs"]]
    assert all(row["activity"] is None for row in response.json["runs"])
    status = response.json["activity_error"].removeprefix("HubSpot could not be read: ")
    assert status in {"500", "502", "503"}


@pytest.mark.parametrize(
    "query",
    ["include=contacts", "include=", "include=ACTIVITY", "dismissed=maybe"],
)
def test_bad_list_parameters_are_field_errors(client, processed, maria, query):
    response = client.get(f"/api/v1/runs?{query}", headers=maria)

    field = query.split("=")[0]
    assert response.status_code == 422 and response.json["error"] == "invalid_fields"
    assert [error["field"] for error in response.json["fields"]] == [field]


def test_one_activity_shows_runs_drafts_and_hubspots_copy(client, processed, maria):
    detail = first_result(client, maria)

    [run, *_] = detail["runs"]
    assert len(run["drafts"]) >= 2 and run["recommendation"]["recommended_due"]
    assert detail["hubspot"]["id"] == detail["activity_id"]


def test_another_reps_runs_are_not_found(client, processed, maria, james):
    detail = first_result(client, maria)
    draft = detail["runs"][0]["drafts"][0]["id"]

    assert (
        client.get(f"/api/v1/activities/{detail['activity_id']}", headers=james).status_code == 404
    )
    assert client.post(f"/api/v1/drafts/{draft}/accept", headers=james).status_code == 404
    assert client.post(f"/api/v1/drafts/{draft}/reject", headers=james).status_code == 404
    mine = {r["id"] for r in client.get("/api/v1/runs", headers=maria).json["runs"]}
    theirs = {r["id"] for r in client.get("/api/v1/runs", headers=james).json["runs"]}
    assert mine and not mine & theirs


def test_accepting_answers_202_with_a_job_queued_for_the_apply_worker(
    client, processed, maria, runtime
):
    draft = first_result(client, maria)["runs"][0]["drafts"][0]["id"]

    accepted = client.post(f"/api/v1/drafts/{draft}/accept", json={"text": "Edited"}, headers=maria)
    double = client.post(f"/api/v1/drafts/{draft}/accept", json={"text": "Edited"}, headers=maria)
    status = client.get(accepted.json["status_url"], headers=maria)

    assert accepted.status_code == 202 and double.status_code == 202
    assert double.json["job_id"] == accepted.json["job_id"]
    assert status.json["status"] == "queued"
    assert runtime.redis.llen(APPLY_QUEUE) == 2  # the second message finds the job taken


def test_where_the_draft_goes_in_the_task_is_append_or_replace(client, processed, maria):
    draft = first_result(client, maria)["runs"][0]["drafts"][0]["id"]

    odd = client.post(
        f"/api/v1/drafts/{draft}/accept", json={"task_body": "prepend"}, headers=maria
    )

    assert odd.status_code == 422
    assert [field["field"] for field in odd.json["fields"]] == ["task_body"]


def test_an_applied_draft_cannot_be_accepted_again(client, processed, maria, runtime):
    from shared.apply.jobs import apply_job

    draft = first_result(client, maria)["runs"][0]["drafts"][0]["id"]
    job = client.post(f"/api/v1/drafts/{draft}/accept", headers=maria).json["job_id"]
    assert apply_job(runtime, job) == "applied"

    again = client.post(f"/api/v1/drafts/{draft}/accept", headers=maria)
    status = client.get(f"/api/v1/jobs/{job}", headers=maria).json

    assert again.status_code == 409 and again.json["error"] == "already_applied"
    assert status["status"] == "applied" and status["hubspot_object_id"]
    assert status["written_task"]["task_id"] == status["hubspot_object_id"]


def test_dates_are_applied_with_adjustments(client, processed, maria):
    recommendation = first_result(client, maria)["runs"][0]["recommendation"]["id"]

    response = client.post(
        f"/api/v1/recommendations/{recommendation}/apply",
        json={"recommended_due": "2026-12-11T17:00:00+00:00"},
        headers=maria,
    )

    assert response.status_code == 202


def test_reject_and_dismiss(client, processed, maria):
    run = first_result(client, maria)["runs"][0]

    rejected = client.post(
        f"/api/v1/drafts/{run['drafts'][0]['id']}/reject",
        headers=maria,
        json={"reason": "wrong_tone"},
    )
    dismissed = client.post(f"/api/v1/runs/{run['id']}/dismiss", headers=maria)
    accept_rejected = client.post(f"/api/v1/drafts/{run['drafts'][0]['id']}/accept", headers=maria)

    assert rejected.json == {"status": "rejected"}
    assert dismissed.json == {"status": "dismissed"}
    assert accept_rejected.status_code == 404


def test_a_reject_says_why_and_is_stored_with_the_draft(client, processed, maria):
    run = first_result(client, maria)["runs"][0]
    reject = f"/api/v1/drafts/{run['drafts'][0]['id']}/reject"

    missing = client.post(reject, headers=maria, json={})
    unknown = client.post(reject, headers=maria, json={"reason": "too_long"})
    other_without_note = client.post(reject, headers=maria, json={"reason": "other"})
    rejected = client.post(reject, headers=maria, json={"reason": "other", "note": "Sent already"})

    for refused in (missing, unknown, other_without_note):
        assert refused.status_code == 422 and refused.json["fields"]
    assert unknown.json["fields"][0]["field"] == "reason"
    assert "note is required" in other_without_note.json["fields"][0]["problem"]
    assert rejected.json == {"status": "rejected"}
    [draft, *_] = first_result(client, maria)["runs"][0]["drafts"]
    assert (draft["reject_reason"], draft["reject_note"]) == ("other", "Sent already")
    counted = client.get("/metrics").get_data(as_text=True).splitlines()
    assert any(
        line.startswith("drafts_rejected_total{") and 'reason="other"' in line for line in counted
    )


def test_an_accept_records_the_final_text_and_how_much_it_was_edited(client, processed, maria):
    run = first_result(client, maria)["runs"][0]
    untouched, edited = run["drafts"][0], run["drafts"][1]
    new_text = edited["draft_text"] + " Talk soon."

    client.post(f"/api/v1/drafts/{untouched['id']}/accept", headers=maria)
    client.post(f"/api/v1/drafts/{edited['id']}/accept", headers=maria, json={"text": new_text})

    drafts = {d["id"]: d for d in first_result(client, maria)["runs"][0]["drafts"]}
    assert drafts[untouched["id"]]["final_text"] == untouched["draft_text"]
    assert drafts[untouched["id"]]["edit_distance"] == 0
    assert drafts[edited["id"]]["final_text"] == new_text
    assert 0 < drafts[edited["id"]]["edit_distance"] < 0.5
    counted = client.get("/metrics").get_data(as_text=True)
    assert "drafts_accepted_total{" in counted and "draft_edit_distance_bucket{" in counted


def test_insights_count_what_a_rep_did_and_only_team_leads_see_the_team(
    client, processed, maria, james, database_url
):
    run = first_result(client, maria)["runs"][0]
    accepted, rejected = run["drafts"][0], run["drafts"][1]
    client.post(f"/api/v1/drafts/{accepted['id']}/accept", headers=maria, json={"text": "Hi!"})
    client.post(
        f"/api/v1/drafts/{rejected['id']}/reject", headers=maria, json={"reason": "wrong_tone"}
    )
    lead = headers_for(database_url, JAMES, app_metadata={"role": "team_lead"})

    mine = client.get("/api/v1/insights", headers=maria)
    refused = client.get("/api/v1/insights?scope=team", headers=maria)
    team = client.get("/api/v1/insights?scope=team", headers=lead)
    james_own = client.get("/api/v1/insights", headers=james).json["total"]

    assert mine.status_code == 200
    total = mine.json["total"]
    assert (total["accepted"], total["rejected"], total["acceptance_rate"]) == (1, 1, 0.5)
    assert (total["edited"], total["reject_reasons"]["wrong_tone"]) == (1, 1)
    assert total["mean_edit_distance"] > 0.5
    by_tone = {row["key"]: row for row in mine.json["by_tone"]}
    assert by_tone[accepted["tone"]]["accepted"] == 1
    assert [row["key"] for row in mine.json["by_prompt_version"]] == ["suggestions-v1"]
    assert len(mine.json["weekly"]) >= 1
    assert refused.status_code == 403 and refused.json["error"] == "not_a_team_lead"
    assert team.status_code == 200 and team.json["scope"] == "team"
    # Every rep's drafts: Maria's, James's and the other demo owners'.
    assert team.json["total"]["offered"] > total["offered"] + james_own["offered"]
    assert team.json["total"]["accepted"] == 1


def test_session_metadata_round_trip(client, maria):
    first = client.get("/api/v1/session", headers=maria).json
    updated = client.patch(
        "/api/v1/session", json={"metadata": {"filter": "call"}}, headers=maria
    ).json

    assert updated["id"] == first["id"] and updated["metadata"] == {"filter": "call"}


def test_crm_reads_are_scoped_to_the_reps_owner(client, maria, simulator):
    contacts = client.get("/api/v1/crm/contacts?limit=3", headers=maria).json
    notes = client.get("/api/v1/crm/notes", headers=maria).json

    assert contacts["results"]
    assert {c["properties"].get("email") for c in contacts["results"]}
    assert notes["results"] and all(
        n["properties"]["hubspot_owner_id"] == "71000001" for n in notes["results"]
    )
    assert client.get("/api/v1/crm/deals", headers=maria).status_code == 404


@pytest.mark.parametrize(
    ("case", "make_headers"),
    [
        ("missing", lambda db: {}),
        ("not bearer", lambda db: {"Authorization": "Basic abc"}),
        ("garbage", lambda db: {"Authorization": "Bearer not.a.jwt"}),
        ("expired", lambda db: headers_for(db, MARIA, exp=int(time.time()) - 120)),
        ("wrong audience", lambda db: headers_for(db, MARIA, aud="anon")),
        (
            "forged",
            lambda db: signed_by("some-other-secret-that-is-long-enough-0000", "HS256"),
        ),
        (
            "alg none",
            lambda db: signed_by(None, "none"),
        ),
        (
            "wrong algorithm",
            lambda db: signed_by(SECRET, "HS512"),
        ),
    ],
)
def test_bad_tokens_get_401_with_a_json_error(client, database_url, case, make_headers):
    response = client.get("/api/v1/runs", headers=make_headers(database_url))

    assert response.status_code == 401, case
    # Only an expired token says so: a forged or tampered one is not valid, never "expired".
    expected = {"missing": "unauthorized", "not bearer": "unauthorized", "expired": "token_expired"}
    assert response.json["error"] == expected.get(case, "invalid_token"), case


def test_a_rep_without_a_hubspot_owner_gets_403(client, database_url):
    headers = headers_for(database_url, "stranger@example.com")

    response = client.get("/api/v1/runs", headers=headers)

    assert response.status_code == 403 and response.json["error"] == "no_hubspot_owner"


def test_a_hand_made_mapping_overrides_the_email(client, database_url, processed):
    headers = headers_for(database_url, "stranger@example.com")
    user = local_user(database_url, "stranger@example.com")
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "insert into rep_owners (user_id, hubspot_owner_id, hubspot_portal_id) "
            "values (%s, '71000001', %s)",
            (user, PORTAL_ID),
        )

    assert client.get("/api/v1/runs", headers=headers).json["runs"]


@pytest.mark.parametrize(
    ("path", "payload", "status"),
    [
        ("/api/v1/drafts/{draft}/accept", b"{not json", 400),
        ("/api/v1/drafts/{draft}/accept", {"text": ""}, 422),
        ("/api/v1/drafts/{draft}/accept", {"text": "x", "extra": 1}, 422),
        ("/api/v1/recommendations/{recommendation}/apply", {"recommended_due": "soon"}, 422),
        (
            "/api/v1/recommendations/{recommendation}/apply",
            {"recommended_due": "2026-12-11T17:00:00"},
            422,
        ),
        (
            "/api/v1/recommendations/{recommendation}/apply",
            {
                "recommended_start": "2026-12-12T09:00:00Z",
                "recommended_due": "2026-12-11T17:00:00Z",
            },
            422,
        ),
        ("/api/v1/drafts/not-a-uuid/accept", {}, 404),
        (f"/api/v1/drafts/{uuid.uuid4()}/accept", {}, 404),
    ],
)
def test_bad_input_gets_a_clear_error(client, processed, maria, path, payload, status):
    run = first_result(client, maria)["runs"][0]
    url = path.format(draft=run["drafts"][0]["id"], recommendation=run["recommendation"]["id"])
    kwargs = (
        {"data": payload, "content_type": "application/json"}
        if isinstance(payload, bytes)
        else {"json": payload}
    )

    response = client.post(url, headers=maria, **kwargs)

    assert response.status_code == status
    assert response.json["error"]
    if status == 422:
        assert response.json["fields"]


def test_injection_strings_are_data_not_code(client, processed, maria, database_url):
    draft = first_result(client, maria)["runs"][0]["drafts"][0]["id"]
    nasty = "'); drop table ai_generated_drafts; -- <script>alert(1)</script>"

    assert client.get(f"/api/v1/activities/{nasty}", headers=maria).status_code == 404
    assert (
        client.get("/api/v1/runs", query_string={"cursor": nasty}, headers=maria).status_code == 422
    )
    assert (
        client.post(
            f"/api/v1/drafts/{draft}/accept", json={"text": nasty}, headers=maria
        ).status_code
        == 202
    )
    with psycopg.connect(database_url) as conn:
        assert conn.execute("select count(*) from ai_generated_drafts").fetchone()[0] > 0


def reassign(simulator, activity_type: str, activity_id: str, owner: str) -> None:
    """HubSpot reassigns the activity; no webhook reaches the pipeline yet."""
    object_type = KIND_BY_NAME[activity_type].object_type
    requests.patch(
        f"{simulator.url}/_admin/objects/{object_type}/{activity_id}",
        json={"properties": {"hubspot_owner_id": owner}},
        timeout=10,
    ).raise_for_status()


def test_a_reassigned_activity_follows_its_owner_in_hubspot(
    client, processed, maria, james, simulator
):
    detail = first_result(client, maria)
    activity_id, run = detail["activity_id"], detail["runs"][0]
    draft, recommendation = run["drafts"][0]["id"], run["recommendation"]["id"]
    reassign(simulator, run["activity_type"], activity_id, "71000002")  # to James

    refused = [
        client.get(f"/api/v1/activities/{activity_id}", headers=maria),
        client.post(f"/api/v1/drafts/{draft}/accept", headers=maria),
        client.post(f"/api/v1/drafts/{draft}/reject", headers=maria, json={"reason": "other"}),
        client.post(f"/api/v1/recommendations/{recommendation}/apply", headers=maria),
        client.post(f"/api/v1/runs/{run['id']}/dismiss", headers=maria),
    ]
    for_james = client.get(f"/api/v1/activities/{activity_id}", headers=james)
    listed = {
        name: {r["activity_id"] for r in client.get("/api/v1/runs", headers=h).json["runs"]}
        for name, h in (("maria", maria), ("james", james))
    }
    accepted = client.post(f"/api/v1/drafts/{draft}/accept", headers=james)

    assert [r.status_code for r in refused] == [404] * 5
    assert for_james.status_code == 200 and for_james.json["hubspot"]["owner_id"] == "71000002"
    assert activity_id in listed["james"] and activity_id not in listed["maria"]
    assert accepted.status_code == 202


def test_one_activity_is_refused_when_hubspot_cannot_say_who_owns_it(
    processed, maria, simulator, monkeypatch
):
    monkeypatch.setenv("HUBSPOT_MAX_ATTEMPTS", "1")  # fail at once, not after backing off
    get_settings.cache_clear()
    client = create_app().test_client()
    activity_id = first_result(client, maria)["activity_id"]
    requests.post(f"{simulator.url}/_admin/faults", json={"error_rate": 1.0}, timeout=10)

    response = client.get(f"/api/v1/activities/{activity_id}", headers=maria)

    assert response.status_code == 503 and response.json["error"] == "hubspot_unavailable"


def test_the_inbox_with_activities_leaves_out_what_hubspot_reassigned(
    client, processed, maria, james, simulator
):
    [row, *_] = client.get("/api/v1/runs", headers=maria).json["runs"]
    reassign(simulator, row["activity_type"], row["activity_id"], "71000002")

    mine = client.get("/api/v1/runs?include=activity", headers=maria).json["runs"]
    theirs = client.get("/api/v1/runs", headers=james).json["runs"]

    assert row["activity_id"] not in {r["activity_id"] for r in mine}
    assert row["activity_id"] in {r["activity_id"] for r in theirs}


def test_the_inbox_has_an_entry_per_activity_in_its_state_with_counts(
    client, processed, maria, simulator
):
    everything = client.get("/api/v1/inbox?limit=100", headers=maria).json
    [first, second, *_] = everything["entries"]
    assert all(entry["state"] == "to_do" for entry in everything["entries"])
    assert everything["counts"]["to_do"] == len(everything["entries"])
    client.post(f"/api/v1/runs/{first['id']}/dismiss", headers=maria)
    kind = KIND_BY_NAME[second["activity_type"]]
    gone = requests.delete(
        f"{simulator.url}/_admin/objects/{kind.object_type}/{second['activity_id']}", timeout=10
    )
    gone.raise_for_status()
    record_deleted(  # its webhook
        processed.for_account(PORTAL_ID), second["activity_id"], second["activity_type"]
    )

    done = client.get("/api/v1/inbox?state=done", headers=maria).json
    attention = client.get("/api/v1/inbox?state=needs_attention&include=activity", headers=maria)

    assert [(e["id"], e["state_reason"]) for e in done["entries"]] == [(first["id"], "dismissed")]
    assert done["counts"]["to_do"] == everything["counts"]["to_do"] - 2
    [deleted] = attention.json["entries"]
    assert (deleted["id"], deleted["state_reason"]) == (second["id"], "deleted")
    assert deleted["activity"] is None  # HubSpot no longer has it


def test_a_cursor_the_inbox_did_not_hand_out_is_refused(client, processed, maria):
    forged = base64.urlsafe_b64encode(b"1; drop table x|" + str(uuid.uuid4()).encode()).decode()

    response = client.get("/api/v1/inbox", query_string={"cursor": forged}, headers=maria)

    assert response.status_code == 422 and response.json["fields"][0]["field"] == "cursor"


def test_a_dismissal_can_be_undone_by_its_rep_only(client, processed, maria, james):
    [entry, *_] = client.get("/api/v1/inbox?state=to_do", headers=maria).json["entries"]
    client.post(f"/api/v1/runs/{entry['id']}/dismiss", headers=maria)

    theirs = client.post(f"/api/v1/runs/{entry['id']}/restore", headers=james)
    mine = client.post(f"/api/v1/runs/{entry['id']}/restore", headers=maria)

    assert theirs.status_code == 404
    assert mine.status_code == 200 and mine.json == {"status": "restored"}
    to_do = client.get("/api/v1/inbox?state=to_do", headers=maria).json["entries"]
    assert entry["id"] in {e["id"] for e in to_do}
