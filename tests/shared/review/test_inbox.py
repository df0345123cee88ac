"""Inbox rows with HubSpot's current copy, against the running simulator over HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests

from shared.hubspot.client import HubSpotClient
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.review.inbox import (
    CACHE_PREFIX,
    CACHE_TTL_SECONDS,
    ActivitySummaries,
    current_activities,
    forget_summary,
    with_activities,
)
from shared.settings import get_settings
from shared.store.rows import RunRow, json_row
from tests.conftest import PORTAL_ID
from tests.shared.store.conftest import make_result_row


@pytest.fixture
def client(simulator) -> HubSpotClient:
    return HubSpotClient(
        get_settings().hubspot_access_token.get_secret_value(),
        simulator.url,
        timeout=5,
        max_attempts=1,
    )


def rows_of(client: HubSpotClient, type_name: str) -> list[RunRow]:
    since = datetime.now(UTC) - timedelta(days=365)
    found = client.modified_since(KIND_BY_NAME[type_name], since)
    return [make_result_row(type_name, activity_id) for activity_id, _ in found]


def test_each_row_gets_its_activitys_subject_people_and_companies(client):
    rows = rows_of(client, "task") + rows_of(client, "note")

    listed = with_activities(rows, current_activities(client, rows))

    assert [{k: v for k, v in row.items() if k != "activity"} for row in listed] == [
        json_row(row) for row in rows
    ]
    for row in listed:
        expected = fetch_activity(client, KIND_BY_NAME[row["activity_type"]], row["activity_id"])
        activity = row["activity"]
        assert set(activity) == {"subject", "owner_id", "occurred_at", "contacts", "companies"}
        assert activity["owner_id"] == expected.owner_id
        assert activity["subject"] == expected.subject
        assert datetime.fromisoformat(activity["occurred_at"]) == expected.occurred_at
        assert activity["contacts"] == [
            {"id": c.id, "name": c.name, "email": c.email} for c in expected.contacts
        ]
        assert activity["companies"] == [{"id": c.id, "name": c.name} for c in expected.companies]
    assert all(row["activity"]["contacts"] for row in listed)
    assert any(row["activity"]["subject"] for row in listed)


def test_a_page_costs_a_few_batch_calls_per_activity_type_not_one_get_per_row(client):
    rows = rows_of(client, "task") + rows_of(client, "note")
    client.calls.clear()

    current_activities(client, rows)

    # per type: the activities, two association reads, their contacts, their companies
    assert client.calls == {"batch_read": 2 * 3, "associations": 2 * 2}
    assert len(rows) > sum(client.calls.values())


def test_an_activity_hubspot_no_longer_has_is_none(client, simulator):
    rows = rows_of(client, "task")
    gone = rows[0]
    requests.delete(
        f"{simulator.url}/_admin/objects/tasks/{gone.activity_id}", timeout=10
    ).raise_for_status()

    listed = with_activities(rows, current_activities(client, rows))

    assert listed[0]["activity"] is None
    assert all(row["activity"] for row in listed[1:])


def test_rows_of_no_known_activity_type_cost_no_call(client):
    rows = [make_result_row(None, "1"), make_result_row("deal", "2")]

    listed = with_activities(rows, current_activities(client, rows))

    assert [row["activity"] for row in listed] == [None, None]
    assert not client.calls


@pytest.fixture
def summaries(client, redis_url) -> ActivitySummaries:
    return ActivitySummaries(client, redis.Redis.from_url(redis_url, socket_timeout=5), PORTAL_ID)


def test_a_reloaded_inbox_is_served_from_the_cache_for_a_while(client, summaries):
    rows = rows_of(client, "task") + rows_of(client, "note")
    first = summaries.current(rows)
    client.calls.clear()

    again = summaries.current(rows)

    assert again == first and len(again) == len(rows)
    assert not client.calls
    ttl = summaries.cache.ttl(f"{CACHE_PREFIX}{PORTAL_ID}:task:{rows[0].activity_id}")
    assert 0 < ttl <= CACHE_TTL_SECONDS


def test_only_rows_missing_from_the_cache_are_fetched(client, summaries):
    tasks, notes = rows_of(client, "task"), rows_of(client, "note")
    summaries.current(tasks)
    client.calls.clear()

    current = summaries.current(tasks + notes)

    assert len(current) == len(tasks) + len(notes)
    assert client.calls == {"batch_read": 3, "associations": 2}  # the notes alone


def test_an_absent_activity_is_remembered_as_absent_and_forgetting_refetches(
    client, summaries, simulator
):
    [gone, *_] = rows_of(client, "task")
    requests.delete(
        f"{simulator.url}/_admin/objects/tasks/{gone.activity_id}", timeout=10
    ).raise_for_status()
    assert summaries.current([gone]) == {}
    client.calls.clear()

    assert summaries.current([gone]) == {}
    assert not client.calls

    forget_summary(summaries.cache, PORTAL_ID, "task", gone.activity_id)
    summaries.current([gone])
    assert client.calls


def test_each_account_keeps_its_own_summaries(client, summaries):
    rows = rows_of(client, "task")
    summaries.current(rows)
    client.calls.clear()
    other = ActivitySummaries(client, summaries.cache, PORTAL_ID + 1)

    other.current(rows)  # not this account's copies: read again (with its own client)

    assert client.calls
