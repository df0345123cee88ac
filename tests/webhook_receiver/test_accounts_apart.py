"""A rep is one HubSpot account's owner and sees only that account's results: another
account's runs under the same owner id (owner ids are per account) are never listed, opened,
accepted, dismissed or counted, through a Supabase token or the app card's signed requests.
With OAuth, a rep's email is looked up in every connected account, and an email that is an
owner's in several must be mapped by hand."""

import uuid

import pytest
import requests

from devstack.mint import local_user
from shared.accounts.cipher import TokenCipher
from shared.feedback.edits import AcceptRecord
from shared.settings import get_settings
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID
from tests.shared.accounts.test_tokens import installed
from tests.shared.auth.test_owners import add_owner
from tests.shared.store.conftest import make_activity, make_results
from tests.shared.store.review_contract import map_by_hand
from tests.webhook_receiver.test_api import MARIA, headers_for
from tests.webhook_receiver.test_api import processed as processed
from tests.webhook_receiver.test_hubspot_signed import contact_of_first_run, signed
from webhook_receiver import create_app
from webhook_receiver.services import EXTENSION

MARIAS_OWNER = "71000001"
OTHER = 7_000_001
# Owner 71000001 of the other account: someone else than Maria.
ELSEWHERE = RepOwner(OTHER, MARIAS_OWNER)


@pytest.fixture
def client(database_url, redis_url, simulator):
    return create_app().test_client()


@pytest.fixture
def maria(database_url):
    return headers_for(database_url, MARIA)


def other_accounts_run(store, activity_id: str, version_minute: int = 0) -> dict:
    """A completed run of the other account's owner 71000001, with a draft accepted (and
    edited) by its rep, and a second draft and the recommendation still open."""
    activity = make_activity(activity_id, version_minute, owner_id=MARIAS_OWNER)
    run = store.queue_run(activity, OTHER)
    store.claim_run(run.run_id)
    store.complete_run(run.run_id, make_results(with_opportunity=False))
    [stored] = [
        r for r in store.activity_runs(OTHER, activity_id).runs if r["id"] == str(run.run_id)
    ]
    accepted, open_draft = stored["drafts"]
    edit = AcceptRecord.of(accepted["draft_text"], "Their own words, not Maria's.")
    job = store.request_apply(
        ELSEWHERE, None, "draft", uuid.UUID(accepted["id"]), {"text": edit.final_text}, edit
    )
    return {
        "run": stored["id"],
        "activity": activity_id,
        "draft": open_draft["id"],
        "recommendation": stored["recommendation"]["id"],
        "job": job.job_id,
    }


@pytest.fixture
def theirs(processed, client, maria, database_url) -> list[dict]:
    """Two runs of the other account: one of an activity of its own, one that shares the id
    of one of Maria's activities (ids are not guaranteed apart across accounts)."""
    marias = client.get("/api/v1/runs", headers=maria).json["runs"][0]["activity_id"]
    return [
        other_accounts_run(processed.store, "990001"),
        other_accounts_run(processed.store, marias, version_minute=59),
    ]


def refused(response) -> bool:
    return response.status_code == 404 and response.json["error"] == "not_found"


def test_another_accounts_runs_are_never_listed(client, maria, theirs):
    their_runs = {run["run"] for run in theirs}

    runs = client.get("/api/v1/runs", headers=maria).json["runs"]
    inbox = client.get("/api/v1/inbox?limit=100", headers=maria).json["entries"]
    shared_id = client.get(f"/api/v1/activities/{theirs[1]['activity']}", headers=maria)

    assert runs and not {run["id"] for run in runs} & their_runs
    assert inbox and not {entry["id"] for entry in inbox} & their_runs
    assert shared_id.status_code == 200  # Maria's own activity, without the other run
    assert theirs[1]["run"] not in {run["id"] for run in shared_id.json["runs"]}
    assert refused(client.get(f"/api/v1/activities/{theirs[0]['activity']}", headers=maria))


def test_another_accounts_runs_are_never_acted_on(client, maria, theirs, processed):
    for run in theirs:
        assert refused(client.post(f"/api/v1/drafts/{run['draft']}/accept", headers=maria))
        assert refused(
            client.post(
                f"/api/v1/drafts/{run['draft']}/reject",
                headers=maria,
                json={"reason": "not_needed"},
            )
        )
        path = f"/api/v1/recommendations/{run['recommendation']}/apply"
        assert refused(client.post(path, headers=maria, json={}))
        assert refused(client.post(f"/api/v1/runs/{run['run']}/dismiss", headers=maria))
        assert refused(client.post(f"/api/v1/runs/{run['run']}/restore", headers=maria))
        assert refused(client.get(f"/api/v1/jobs/{run['job']}", headers=maria))

    for run in theirs:
        [stored] = [
            r
            for r in processed.store.activity_runs(OTHER, run["activity"]).runs
            if r["id"] == run["run"]
        ]
        assert stored["dismissed_at"] is None
        assert [job["kind"] for job in stored["jobs"]] == ["draft"]  # theirs only
        assert all(draft["rejected_at"] is None for draft in stored["drafts"])


def test_another_accounts_accepts_teach_nothing_about_the_rep(client, maria, theirs, processed):
    insights = client.get("/api/v1/insights", headers=maria).json["total"]

    assert insights["accepted"] == 0 and insights["offered"] > 0
    mine = processed.store.rep_voice(PORTAL_ID, MARIAS_OWNER)
    assert mine.examples == ()
    theirs_voice = processed.store.rep_voice(OTHER, MARIAS_OWNER)
    assert theirs_voice.examples == ("Their own words, not Maria's.",) * len(theirs)


def test_the_cards_signed_requests_see_the_reps_account_only(
    client, theirs, database_url, processed
):
    local_user(database_url, MARIA)
    contact, marias = contact_of_first_run(client, database_url)

    listed = signed(client, "GET", f"/api/v1/records/contacts/{contact}/runs", MARIA)

    assert listed.status_code == 200 and listed.json["runs"]
    assert {run["id"] for run in listed.json["runs"]} <= marias
    for run in theirs:
        assert refused(signed(client, "POST", f"/api/v1/runs/{run['run']}/dismiss", MARIA))
        assert refused(signed(client, "POST", f"/api/v1/drafts/{run['draft']}/accept", MARIA))
        assert refused(signed(client, "GET", f"/api/v1/jobs/{run['job']}", MARIA))


# -- OAuth: which account's owner a rep is -----------------------------------------------------


@pytest.fixture
def oauth_client(simulator, database_url, redis_url, monkeypatch):
    """The service with OAuth, installed in the demo portal and in OTHER."""
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", "hubspot-simulator-client-id")
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", TokenCipher.new_key())
    get_settings.cache_clear()
    app = create_app()
    requests.post(f"{simulator.url}/_admin/accounts", json={"portalId": OTHER}, timeout=10)
    tokens = app.extensions[EXTENSION].accounts
    installed(simulator, tokens, PORTAL_ID)
    installed(simulator, tokens, OTHER)
    return app.test_client()


def test_oauth_a_rep_owning_in_two_accounts_is_told_to_be_mapped_by_hand(
    oauth_client, simulator, database_url, maria
):
    assert oauth_client.get("/api/v1/runs", headers=maria).status_code == 200  # one match
    both = "both@brightlane.example"
    add_owner(simulator, PORTAL_ID, "71000009", both)
    add_owner(simulator, OTHER, "81000010", both)
    headers = headers_for(database_url, both)

    ambiguous = oauth_client.get("/api/v1/runs", headers=headers)

    assert ambiguous.status_code == 409
    assert ambiguous.json["error"] == "ambiguous_hubspot_owner"
    message = ambiguous.json["message"]
    assert f"account {PORTAL_ID}" in message and f"account {OTHER}" in message
    assert "rep_owners" in message and "hubspot_portal_id" in message
    map_by_hand(database_url, local_user(database_url, both), RepOwner(OTHER, "81000010"))
    assert oauth_client.get("/api/v1/runs", headers=headers).status_code == 200
