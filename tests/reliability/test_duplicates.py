"""A thousand webhook events, 30% of them delivered twice, shuffled across concurrent
deliveries: one completed run per activity version, one set of drafts per run.

The simulator has no webhook target, so every event is built here: a creation and a few
property changes per activity, then, once those are processed, property changes for
activities a rep edited since (their new version must be processed too, once).
"""

from __future__ import annotations

import random
import time
from itertools import count
from typing import Any

import pytest

from shared.hubspot.models import KIND_BY_OBJECT_TYPE
from tests.reliability.conftest import (
    activity_event,
    create_activities,
    edit_activity,
    post_signed,
    run_rows,
    version_of,
    wait_for_finished,
)

pytestmark = pytest.mark.slow

ACTIVITIES = 300
EDITED = 60  # of those, edited by a rep after their first version was processed
FIRST_WAVE_CHANGES = 349  # property-change events spread over the first versions
CHANGES_PER_EDIT = 2
DUPLICATE_SHARE = 0.3
MAX_DELIVERY = 100  # events per POST, as HubSpot batches them
DRAFTS_PER_RUN = 3  # friendly, formal, concise


def changed_property(record: dict[str, Any], rng: random.Random) -> str:
    """A property whose change the pipeline acts on (see shared.webhooks.events)."""
    body = KIND_BY_OBJECT_TYPE[record["type"]].body_properties
    return rng.choice(["hs_timestamp", "hubspot_owner_id", *body])


def property_change(record: dict[str, Any], event_id: int, rng: random.Random) -> dict[str, Any]:
    name = changed_property(record, rng)
    value = record["properties"].get(name)
    return activity_event(
        record, event_id, "object.propertyChange", propertyName=name, propertyValue=value
    )


def with_duplicates(events: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """The events plus a second copy of 30% of them (a HubSpot retry: attemptNumber 1)."""
    again = rng.sample(events, round(len(events) * DUPLICATE_SHARE))
    sent = events + [{**event, "attemptNumber": 1} for event in again]
    rng.shuffle(sent)
    return sent


def deliveries_of(events: list[dict[str, Any]], rng: random.Random) -> list[list[dict]]:
    """Consecutive slices of 1 to MAX_DELIVERY events."""
    deliveries, start = [], 0
    while start < len(events):
        size = rng.randint(1, MAX_DELIVERY)
        deliveries.append(events[start : start + size])
        start += size
    return deliveries


def send(url: str, events: list[dict[str, Any]], rng: random.Random) -> dict[str, int]:
    """Duplicate, shuffle, batch and POST concurrently; what was sent and answered."""
    sent = with_duplicates(events, rng)
    deliveries = deliveries_of(sent, rng)
    answers = post_signed(url, deliveries, threads=8)
    return {
        "unique": len(events),
        "sent": len(sent),
        "deliveries": len(deliveries),
        "non_200": sum(status != 200 for status, _ in answers),
        "enqueued": sum(body.get("accepted", 0) for _, body in answers),
        "dropped_at_receiver": sum(body.get("duplicates", 0) for _, body in answers),
    }


def first_wave(records: list[dict[str, Any]], ids: count, rng: random.Random) -> list[dict]:
    creations = [activity_event(record, next(ids)) for record in records]
    changes = [
        property_change(rng.choice(records), next(ids), rng) for _ in range(FIRST_WAVE_CHANGES)
    ]
    return creations + changes


def test_duplicated_shuffled_events_give_one_run_per_version_and_one_set_of_drafts(
    start_simulator, receiver_url, start_worker, database_url, tmp_path
):
    rng = random.Random(1000)
    simulator = start_simulator()  # no webhook target: the events below are the only ones
    records = create_activities(simulator.url, ACTIVITIES)
    url = f"{receiver_url}/webhooks/hubspot"
    event_ids = count(1)
    start_worker(concurrency=8)
    started = time.monotonic()

    first = send(url, first_wave(records, event_ids, rng), rng)
    wait_for_finished(database_url, ACTIVITIES, timeout=60, logs=tmp_path)
    edited = [
        edit_activity(simulator.url, record, f"Update {n}: Dana moved the review to next Tuesday.")
        for n, record in enumerate(rng.sample(records, EDITED))
    ]
    changes = [
        property_change(record, next(event_ids), rng)
        for record in edited
        for _ in range(CHANGES_PER_EDIT)
    ]
    second = send(url, changes, rng)
    wait_for_finished(database_url, ACTIVITIES + EDITED, timeout=60, logs=tmp_path)
    seconds = time.monotonic() - started

    rows = run_rows(database_url)
    versions = {(r["id"], version_of(r)) for r in records + edited}
    per_version = {(activity, version) for activity, version, *_ in rows}
    totals = {key: first[key] + second[key] for key in first}
    figures = (
        f"events sent {totals['sent']} ({totals['unique']} unique, "
        f"{totals['sent'] - totals['unique']} duplicates), deliveries {totals['deliveries']}, "
        f"non-200 answers {totals['non_200']}, enqueued {totals['enqueued']}, "
        f"repeats within a delivery dropped by the receiver {totals['dropped_at_receiver']}; "
        f"versions {len(versions)}, runs {len(rows)} "
        f"({sum(r[2] == 'completed' for r in rows)} completed), "
        f"drafts {sum(r[3] for r in rows)}; {seconds:.1f} s"
    )
    print(f"\n[duplicates] {figures}")
    assert totals["sent"] == 1000 and totals["non_200"] == 0, figures
    assert len(rows) == len(per_version) == len(versions) == ACTIVITIES + EDITED, figures
    assert per_version == versions, figures
    assert all(status == "completed" for _, _, status, _, _ in rows), figures
    assert all(drafts == DRAFTS_PER_RUN and recs == 1 for *_, drafts, recs in rows), figures
