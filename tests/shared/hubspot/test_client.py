"""The real client against the running simulator, over HTTP: no mocked HTTP here."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import redis

from shared.deadline import FINISH_MARGIN_SECONDS, task_budget
from shared.hubspot.client import HubSpotClient, build_client
from shared.hubspot.errors import HubSpotError, ObjectNotFound, VersionNotServed
from shared.hubspot.fetch import fetch_activities, fetch_activity
from shared.hubspot.models import KIND_BY_NAME, KINDS
from shared.hubspot.operations import UndeclaredCall
from shared.hubspot.rate_limit import SharedRateLimiter
from shared.settings import get_settings
from tests.devstack.hubspot_simulator.support import Admin


@pytest.fixture
def admin(simulator) -> Admin:
    return Admin(simulator.url)


@pytest.fixture
def client(simulator) -> HubSpotClient:
    return HubSpotClient(
        get_settings().hubspot_access_token.get_secret_value(),
        simulator.url,
        timeout=5,
        backoff_initial=0.01,
        backoff_max=0.05,
    )


def ids_of(client: HubSpotClient, kind) -> list[str]:
    since = datetime.now(UTC) - timedelta(days=365)
    return [activity_id for activity_id, _ in client.modified_since(kind, since)]


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_every_activity_type_is_fetched_with_text_owner_and_people(client, kind):
    ids = ids_of(client, kind)
    assert ids, f"the demo portal has {kind.object_type}"

    activities = fetch_activities(client, kind, ids)

    assert set(activities) == set(ids)
    for activity in activities.values():
        assert activity.type == kind.name
        assert activity.owner_id
        assert activity.updated_at is not None
        assert "<" not in activity.body  # HTML stripped
    assert any(activity.body for activity in activities.values())
    assert any(activity.contacts for activity in activities.values())


def test_get_activity_reads_one_with_its_contacts_and_companies(client):
    [call_id, *_] = ids_of(client, KIND_BY_NAME["call"])

    call = fetch_activity(client, KIND_BY_NAME["call"], call_id)

    assert call.id == call_id
    assert call.contacts and call.contacts[0].name
    assert all(company.name for company in call.companies)


def test_a_missing_activity_is_object_not_found(client):
    with pytest.raises(ObjectNotFound):
        fetch_activity(client, KIND_BY_NAME["note"], "999999999")


def test_many_activities_take_few_calls(client, admin):
    kind = KIND_BY_NAME["email"]
    ids = ids_of(client, kind)
    client.calls.clear()

    fetch_activities(client, kind, ids)

    assert sum(client.calls.values()) == 5  # activities, 2 association reads, contacts, companies


def test_batches_are_split_at_the_configured_size(client):
    kind = KIND_BY_NAME["email"]
    ids = ids_of(client, kind)
    client.batch_size = 3
    client.calls.clear()

    activities = fetch_activities(client, kind, ids)

    assert set(activities) == set(ids)
    assert client.calls["batch_read"] >= 3 * (len(ids) + 2) // 3 // 3


def test_unknown_ids_are_left_out_of_a_batch(client):
    kind = KIND_BY_NAME["task"]
    [known, *_] = ids_of(client, kind)

    assert set(fetch_activities(client, kind, [known, "987654321"])) == {known}


def test_modified_since_pages_through_everything_in_order(client):
    kind = KIND_BY_NAME["email"]
    since = datetime.now(UTC) - timedelta(days=365)

    everything = list(client.modified_since(kind, since, page_size=2))
    times = [modified for _, modified in everything]

    assert len(everything) >= 5
    assert times == sorted(times)
    assert list(client.modified_since(kind, datetime.now(UTC) + timedelta(days=1))) == []


def test_updates_and_created_tasks_reach_hubspot(client, admin):
    [task_id, *_] = ids_of(client, KIND_BY_NAME["task"])

    updated = client.update_object("tasks", task_id, {"hs_task_body": "Send the SOW"})
    created = client.create_task(
        {"hs_task_subject": "Follow up", "hs_timestamp": "2026-03-06T17:00:00Z"},
        {"contacts": [], "companies": []},
    )

    assert updated["properties"]["hs_task_body"] == "Send the SOW"
    assert created["id"] and created["properties"]["hs_lastmodifieddate"]
    writes = admin.get("/writes", objectType="tasks")["results"]
    assert {w["kind"] for w in writes} >= {"update", "create"}


def test_owners_are_found_by_email(client):
    owner = client.find_owner_by_email("maria.chen@brightlane.example")

    assert owner is not None and owner.first_name == "Maria"
    assert client.find_owner_by_email("nobody@example.com") is None


def test_a_bad_token_is_an_error_at_once(simulator):
    client = HubSpotClient("wrong-token", simulator.url, timeout=5, backoff_initial=0.01)

    with pytest.raises(HubSpotError) as caught:
        fetch_activity(client, KIND_BY_NAME["note"], "1")

    assert caught.value.status == 401
    assert caught.value.category == "INVALID_AUTHENTICATION"
    assert sum(client.calls.values()) == 1


def test_a_validation_error_is_not_retried(client):
    with pytest.raises(HubSpotError) as caught:
        client.create_task({"hs_task_subject": "no due date"}, {})

    assert caught.value.status == 400
    assert client.calls["create"] == 1


def test_server_errors_are_retried_for_reads_batch_reads_and_updates(client, admin):
    [task_id, *_] = ids_of(client, KIND_BY_NAME["task"])
    admin.post("/faults", {"error_rate": 0.5})
    client.max_attempts = 10

    fetched = fetch_activities(client, KIND_BY_NAME["task"], [task_id])
    client.update_object("tasks", task_id, {"hs_task_priority": "HIGH"})

    assert task_id in fetched
    stats = admin.get("/stats", deliveries="false")
    assert stats["injected_errors"]["total"] >= 1


def test_a_429_storm_is_retried_then_reported(client, admin):
    admin.post("/faults", {"rate_limit_storm": True})
    client.max_attempts = 3

    with pytest.raises(HubSpotError) as caught:
        fetch_activity(client, KIND_BY_NAME["note"], "1")

    assert caught.value.status == 429
    assert client.calls["get"] == 3  # a lone activity is one GET, tried three times


def test_every_call_has_a_timeout(client, admin):
    admin.post("/faults", {"latency_ms": 1500})
    client.timeout = 0.3
    client.max_attempts = 2

    started = datetime.now(UTC)
    with pytest.raises(HubSpotError, match="unreachable"):
        fetch_activity(client, KIND_BY_NAME["note"], "1")

    assert datetime.now(UTC) - started < timedelta(seconds=3)


def test_inside_a_task_calls_and_retries_end_with_its_budget(client, admin):
    """Five attempts of a 5 s timeout would take 25 s; the task's budget allows 2."""
    admin.post("/faults", {"latency_ms": 30_000})
    started = time.monotonic()

    with task_budget(FINISH_MARGIN_SECONDS + 2), pytest.raises(HubSpotError, match="budget"):
        fetch_activity(client, KIND_BY_NAME["note"], "1")

    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("use_limiter", "expect_429s"), [(False, True), (True, False)])
def test_the_shared_limiter_keeps_a_burst_under_the_limit(
    start_simulator, redis_url, use_limiter, expect_429s
):
    simulator = start_simulator(burst_limit=10, rate_limit_window_ms=1000)
    limiter = SharedRateLimiter(redis.Redis.from_url(redis_url), limit=9, window_ms=1000)
    client = HubSpotClient(
        "test-access-token-9a7e",
        simulator.url,
        timeout=5,
        max_attempts=10,
        limiter=limiter if use_limiter else None,
        backoff_initial=0.05,
    )

    for _ in range(25):
        client.batch_read("notes", ["1"], ["hs_timestamp"])

    rate_limited = Admin(simulator.url).get("/stats", deliveries="false")["rate_limited"]
    assert (rate_limited > 0) is expect_429s


def test_build_client_reads_settings(simulator, redis_url):
    client = build_client(get_settings(), redis.Redis.from_url(redis_url))

    assert client.limiter is not None and client.limiter.limit == 90
    assert client.timeout == get_settings().hubspot_timeout_seconds


def test_a_task_is_found_by_a_property_value(client):
    created = client.create_task(
        {"hs_timestamp": "2026-03-06T17:00:00Z", "hubspot_ai_job_id": "job-123"}, {}
    )

    assert client.find_task("hubspot_ai_job_id", "job-123")["id"] == created["id"]
    assert client.find_task("hubspot_ai_job_id", "job-456") is None


def test_a_lone_activity_takes_one_get_with_its_associations(client):
    kind = KIND_BY_NAME["call"]
    [call_id, *_] = ids_of(client, kind)
    client.calls.clear()

    [call] = fetch_activities(client, kind, [call_id]).values()

    assert client.calls["get"] == 1 and client.calls["associations"] == 0
    assert sum(client.calls.values()) <= 3  # plus contacts and companies, when it has them
    assert call.contacts and call.contacts[0].name


def test_a_lone_activity_that_is_gone_is_left_out(client):
    assert fetch_activities(client, KIND_BY_NAME["note"], ["987654321"]) == {}


def test_every_call_goes_to_the_configured_date_version(start_simulator, monkeypatch):
    simulator = start_simulator()  # becomes HUBSPOT_API_BASE
    monkeypatch.setenv("HUBSPOT_API_VERSION", "2026-09")
    get_settings.cache_clear()
    client = build_client(get_settings())
    kind = KIND_BY_NAME["email"]

    fetch_activities(client, kind, ids_of(client, kind))
    list(client.all_owners())

    routes = Admin(simulator.url).get("/stats", deliveries="false")["requests"]["by_route"]
    versions = {route.split()[1].split("/")[3] for route in routes}
    assert versions == {"2026-09"}, routes


def test_an_unserved_version_is_an_error_not_a_missing_activity(simulator):
    client = HubSpotClient(
        "test-access-token-9a7e", simulator.url, timeout=5, api_version="2025-01"
    )

    with pytest.raises(VersionNotServed) as caught:
        fetch_activity(client, KIND_BY_NAME["note"], "1")

    assert caught.value.status == 404
    assert not isinstance(caught.value, ObjectNotFound)  # never recorded as gone
    assert client.calls["get"] == 1  # not retried


def test_a_call_the_operations_table_does_not_declare_is_refused(client):
    with pytest.raises(UndeclaredCall, match="tickets"):
        client.batch_read("tickets", ["1"], ["subject"])
    with pytest.raises(UndeclaredCall, match="deals"):
        client.update_object("deals", "1", {"dealstage": "closedwon"})
    with pytest.raises(UndeclaredCall, match="notes"):
        client.update_object("notes", "1", {"hs_note_body": "x"})

    assert sum(client.calls.values()) == 0


def test_the_account_details_are_read_on_the_versioned_path(start_simulator):
    simulator = start_simulator(time_zone="Europe/Berlin")
    client = HubSpotClient("test-access-token-9a7e", simulator.url, timeout=5)

    details = client.request("account_details")

    assert details["timeZone"] == "Europe/Berlin"
    assert details["portalId"] == simulator.simulator.config.portal_id
