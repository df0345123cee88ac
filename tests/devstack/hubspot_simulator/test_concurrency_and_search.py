"""Many threads writing at once, and search filters checked as properties over any data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.objects import find_object_type
from devstack.hubspot_simulator.search import run_search
from devstack.hubspot_simulator.store import StoredObject
from tests.devstack.hubspot_simulator.support import AUTH, VERSION, Receiver, Running

NOTES = find_object_type("notes")
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def test_parallel_writers_get_unique_ids_and_distinct_timestamps(
    start_simulator: Any, receiver: Receiver
) -> None:
    hooked: Running = start_simulator(webhook_target_url=receiver.url, burst_limit=1000)

    def write(worker: int) -> list[str]:
        session = requests.Session()
        session.headers.update(AUTH)
        url = f"{hooked.url}/crm/objects/{VERSION}/notes"
        body = {"properties": {"hs_timestamp": "2025-03-01T10:00:00Z", "hs_note_body": "x"}}
        return [session.post(url, json=body, timeout=10).json()["id"] for _ in range(25)]

    with ThreadPoolExecutor(8) as pool:
        ids = [i for batch in pool.map(write, range(8)) for i in batch]
    hooked.admin.flush()

    assert len(set(ids)) == 200
    notes = hooked.client.crm.objects.notes.list(limit=100)
    assert len(notes.results) == 100
    stamps = {n.properties["hs_lastmodifieddate"] for n in notes.results}
    assert len(stamps) == 100  # a poller's "modified after" cursor never skips a twin
    events = receiver.events()
    assert sorted(str(e["objectId"]) for e in events) == sorted(ids)
    assert len({e["eventId"] for e in events}) == 200


def note(index: int, offset_ms: int) -> StoredObject:
    moment = EPOCH + timedelta(milliseconds=offset_ms)
    properties = {"hs_lastmodifieddate": iso_ms(moment), "hs_object_id": str(index)}
    return StoredObject(NOTES, str(index), properties, moment, moment)


def ids_where(records: list[StoredObject], operator: str, value: str) -> set[str]:
    flt = {"propertyName": "hs_lastmodifieddate", "operator": operator, "value": value}
    body = {"filterGroups": [{"filters": [flt]}], "limit": 200}
    return {record.id for record in run_search(records, body).results}


@settings(deadline=None)  # timing varies on busy CI machines; correctness is the point
@given(
    offsets=st.lists(st.integers(0, 10_000), min_size=1, max_size=60),
    cutoff=st.integers(-10, 10_010),
    as_epoch_ms=st.booleans(),
)
def test_gt_and_lte_split_the_records(offsets: list[int], cutoff: int, as_epoch_ms: bool) -> None:
    records = [note(i + 1, offset) for i, offset in enumerate(offsets)]
    moment = EPOCH + timedelta(milliseconds=cutoff)
    value = str(int(moment.timestamp() * 1000)) if as_epoch_ms else iso_ms(moment)

    after, not_after = ids_where(records, "GT", value), ids_where(records, "LTE", value)

    assert after.isdisjoint(not_after)
    assert after | not_after == {record.id for record in records}
    assert after == {str(i + 1) for i, offset in enumerate(offsets) if offset > cutoff}


@settings(deadline=None)
@given(offsets=st.lists(st.integers(0, 10_000), min_size=1, max_size=40))
def test_descending_sort_orders_by_modified_date(offsets: list[int]) -> None:
    records = [note(i + 1, offset) for i, offset in enumerate(offsets)]
    body = {"sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}]}
    page = run_search(records, {**body, "limit": 200})
    stamps = [record.properties["hs_lastmodifieddate"] for record in page.results]
    assert stamps == sorted(stamps, reverse=True)
    assert page.total == len(offsets)
