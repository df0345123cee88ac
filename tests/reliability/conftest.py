"""Shared by the reliability tests: real workers and the real receiver (the fixtures of
tests/workers), activities made in the simulator, HubSpot-shaped events signed and POSTed
concurrently, and what the database ended up with.

Every test here prints its figures (run with ``-s``) and repeats them in its assertion
messages, and every wait has a deadline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import requests

from devstack.demo import new_items
from devstack.hubspot_simulator.clock import parse_datetime
from devstack.hubspot_simulator.webhook_events import SUBSCRIPTION_IDS
from devstack.processes import celery_worker_answers, wait_until
from shared.hubspot.models import KIND_BY_OBJECT_TYPE
from shared.hubspot.parse import parse_timestamp
from shared.settings import get_settings
from tests import webhook_signing as sign
from tests.conftest import TEST_ENVIRONMENT
from tests.workers.conftest import receiver_url, run_counts, start_worker

__all__ = ["receiver_url", "start_worker"]  # fixtures, re-exported for this folder

SECRET = TEST_ENVIRONMENT["HUBSPOT_CLIENT_SECRET"]
PORTAL_ID, APP_ID = 62515, 4242  # the suite's simulator (tests/conftest.py)
FINISHED = ("completed", "failed", "skipped")


@pytest.fixture(autouse=True)
def quiet_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Warnings and errors only, from the receiver in this process and from the workers
    (they inherit the environment): the figures are what these tests print. werkzeug sets
    its own logger to INFO, so its request lines are turned down here too."""
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)
    yield
    werkzeug.setLevel(level)


# -- activities in the simulator -------------------------------------------------------


def create_activities(simulator_url: str, count: int) -> list[dict[str, Any]]:
    """``count`` activities like the demo portal's, created as a rep would."""
    return post_activities(simulator_url, activity_items(simulator_url, count))


def activity_items(simulator_url: str, count: int) -> list[dict[str, Any]]:
    """``count`` activities to create: the demo portal's texts, contacts and companies with
    fresh timestamps. Reads the portal through the CRM API (so before any fault starts)."""
    with httpx.Client(base_url=f"{simulator_url}/_admin", timeout=60) as admin:
        return new_items(admin, simulator_url, count)


def post_activities(simulator_url: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Create the items through the admin API only; the records, each with its plural
    ``type``. Webhooks follow when the simulator has a target."""
    records: list[dict[str, Any]] = []
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        answer = requests.post(
            f"{simulator_url}/_admin/activities", json={"activities": chunk}, timeout=60
        )
        answer.raise_for_status()
        results = answer.json()["results"]
        records += [{**r, "type": i["type"]} for i, r in zip(chunk, results, strict=True)]
    return records


def edit_activity(simulator_url: str, record: dict[str, Any], text: str) -> dict[str, Any]:
    """A rep edits the activity's body: a new version (hs_lastmodifieddate)."""
    prop = KIND_BY_OBJECT_TYPE[record["type"]].body_properties[0]
    answer = requests.patch(
        f"{simulator_url}/_admin/objects/{record['type']}/{record['id']}",
        json={"properties": {prop: text}},
        timeout=10,
    )
    answer.raise_for_status()
    return {**answer.json(), "type": record["type"]}


# -- webhook events and deliveries -----------------------------------------------------


def activity_event(
    record: dict[str, Any], event_id: int, subscription: str = "object.creation", **extra: Any
) -> dict[str, Any]:
    """The event HubSpot sends for this record (creation at createdAt, else at updatedAt)."""
    kind = KIND_BY_OBJECT_TYPE[record["type"]]
    moment = record["createdAt"] if subscription == "object.creation" else record["updatedAt"]
    return {
        "eventId": event_id,
        "subscriptionId": SUBSCRIPTION_IDS[(kind.type_id, subscription)],
        "portalId": PORTAL_ID,
        "appId": APP_ID,
        "occurredAt": int(parse_datetime(moment).timestamp() * 1000),
        "subscriptionType": subscription,
        "attemptNumber": 0,
        "objectId": int(record["id"]),
        "objectTypeId": kind.type_id,
        "changeSource": "CRM_UI",
        **extra,
    }


def post_signed(
    url: str, deliveries: Iterable[list[dict[str, Any]]], threads: int = 8
) -> list[tuple[int, dict[str, Any]]]:
    """POST each delivery v3-signed, ``threads`` at a time; each status and JSON answer."""

    def post(events: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        body = sign.body_of(events)
        headers = sign.v3_headers(SECRET, url, body)
        answer = requests.post(url, data=body, headers=headers, timeout=10)
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(post, deliveries))


def version_of(record: dict[str, Any]) -> str:
    """The version a run records for this record (its hs_lastmodifieddate)."""
    moment = parse_timestamp(record["properties"]["hs_lastmodifieddate"])
    return moment.isoformat() if moment else ""


# -- what the database holds -----------------------------------------------------------


def run_rows(database_url: str) -> list[tuple[str, str, str, int, int]]:
    """(activity id, version, status, drafts, recommendations) of every run."""
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            """
            select l.activity_id, l.activity_version, l.status,
                (select count(*) from ai_generated_drafts d where d.run_id = l.id),
                (select count(*) from touch_date_recommendations r where r.run_id = l.id)
            from ai_processing_logs l
            """
        ).fetchall()


def wait_for_finished(
    database_url: str,
    finished: int,
    timeout: float,
    logs: Path | None = None,
    statuses: tuple[str, ...] = FINISHED,
) -> dict[str, int]:
    """Run counts once ``finished`` runs are in ``statuses`` (completed, failed or skipped);
    on timeout, an AssertionError with the counts and the end of each worker's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = run_counts(database_url)
        if sum(counts.get(status, 0) for status in statuses) >= finished:
            return counts
        time.sleep(0.1)
    tails = [f"--- {log.name} ---\n{log.read_text()[-3000:]}" for log in sorted_logs(logs)]
    raise AssertionError(
        f"not {finished} runs {'/'.join(statuses)} after {timeout:.0f}s: "
        f"{run_counts(database_url)}\n" + "\n".join(tails)
    )


def wait_for_workers(redis_url: str, count: int, timeout: float = 60) -> None:
    """Until the first ``count`` workers ``start_worker`` started answer a ping."""
    for name in (f"test{number}" for number in range(count)):
        wait_until(lambda n=name: celery_worker_answers(redis_url, n), timeout, name)


def sorted_logs(folder: Path | None) -> list[Path]:
    return sorted(folder.glob("worker-*.log")) if folder else []
