"""Shared by the reliability tests: real workers and the real receiver (the fixtures of
tests/workers), activities made in the simulator, HubSpot-shaped events signed and POSTed
concurrently, and what the database ended up with.

Every test here prints its figures (run with ``-s``) and repeats them in its assertion
messages, and every wait has a deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import requests

from devstack.demo import new_items
from devstack.hubspot_simulator.clock import parse_datetime
from devstack.hubspot_simulator.webhook_events import SUBSCRIPTION_IDS
from shared.hubspot.models import KIND_BY_OBJECT_TYPE
from shared.hubspot.parse import parse_timestamp
from tests import webhook_signing as sign
from tests.conftest import TEST_ENVIRONMENT
from tests.workers.conftest import receiver_url, run_counts, start_worker

__all__ = ["receiver_url", "start_worker"]  # fixtures, re-exported for this folder

SECRET = TEST_ENVIRONMENT["HUBSPOT_CLIENT_SECRET"]
PORTAL_ID, APP_ID = 62515, 4242  # the suite's simulator (tests/conftest.py)
FINISHED = ("completed", "failed", "skipped")


# -- activities in the simulator -------------------------------------------------------


def create_activities(simulator_url: str, count: int) -> list[dict[str, Any]]:
    """``count`` activities like the demo portal's (texts, contacts, companies), created as
    a rep would; the admin API's records, each with its plural ``type``."""
    records: list[dict[str, Any]] = []
    with httpx.Client(base_url=f"{simulator_url}/_admin", timeout=60) as admin:
        items = new_items(admin, simulator_url, count)
        for start in range(0, count, 100):
            chunk = items[start : start + 100]
            answer = admin.post("/activities", json={"activities": chunk})
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
                (select count(*) from ai_generated_drafts d where d.log_id = l.id),
                (select count(*) from touch_date_recommendations r where r.log_id = l.id)
            from ai_processing_logs l
            """
        ).fetchall()


def wait_for_finished(
    database_url: str, finished: int, timeout: float, logs: Path | None = None
) -> dict[str, int]:
    """Run counts once ``finished`` runs are completed, failed or skipped; on timeout, an
    AssertionError with the counts and the end of each worker's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = run_counts(database_url)
        if sum(counts.get(status, 0) for status in FINISHED) >= finished:
            return counts
        time.sleep(0.1)
    tails = [f"--- {log.name} ---\n{log.read_text()[-3000:]}" for log in sorted_logs(logs)]
    raise AssertionError(
        f"not {finished} finished runs after {timeout:.0f}s: {run_counts(database_url)}\n"
        + "\n".join(tails)
    )


def sorted_logs(folder: Path | None) -> list[Path]:
    return sorted(folder.glob("worker-*.log")) if folder else []
