"""CRM objects through HubSpot's date-versioned SDK: every type, every operation."""

from __future__ import annotations

import re
from typing import Any

import hubspot_sdk
import pytest
import requests
from hubspot_sdk.types.crm import BatchResponseSimplePublicObject
from hubspot_sdk.types.shared import StandardError
from pydantic import Field

from tests.devstack.hubspot_simulator.support import AUTH, OWNER_ID, VERSION, Running, api_error

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
WHEN = "2025-03-03T15:00:00Z"

# (properties to create with, one property to change, its new value)
SAMPLES: dict[str, tuple[dict[str, str], str, str]] = {
    "tasks": (
        {"hs_timestamp": WHEN, "hs_task_subject": "Send pricing", "hs_task_status": "NOT_STARTED"},
        "hs_task_status",
        "COMPLETED",
    ),
    "notes": ({"hs_timestamp": WHEN, "hs_note_body": "Budget approved"}, "hs_note_body", "Edited"),
    "meetings": (
        {"hs_timestamp": WHEN, "hs_meeting_title": "Demo", "hs_meeting_outcome": "SCHEDULED"},
        "hs_meeting_outcome",
        "COMPLETED",
    ),
    "calls": (
        {"hs_timestamp": WHEN, "hs_call_title": "Intro", "hs_call_direction": "OUTBOUND"},
        "hs_call_body",
        "Wants 50 seats",
    ),
    "emails": (
        {"hs_timestamp": WHEN, "hs_email_subject": "Pricing", "hs_email_direction": "EMAIL"},
        "hs_email_text",
        "Hi Dana",
    ),
    # Every property of the default read is set: HubSpot answers an unset one as null, which
    # the SDK's `properties: Dict[str, str]` rejects (test_unset_property_is_null_beyond_...).
    "contacts": (
        {"email": "dana@example.com", "firstname": "Dana", "lastname": "Ortiz"},
        "jobtitle",
        "VP Operations",
    ),
    "companies": ({"name": "Northwind", "domain": "northwind.example"}, "city", "Denver"),
}
MODIFIED = {"contacts": "lastmodifieddate"}
ALL_TYPES = list(SAMPLES)


def api(sim: Running, object_type: str) -> Any:
    """The SDK's typed resource for a type: client.crm.objects.tasks, ...contacts, ..."""
    return getattr(sim.client.crm.objects, object_type)


def create(sim: Running, object_type: str, **extra: str) -> Any:
    properties = {**SAMPLES[object_type][0], **extra}
    return api(sim, object_type).create(properties=properties, associations=[])


def batch_read(sim: Running, object_type: str, ids: list[str]) -> Any:
    """The raw batch read answer; `.parse()` checks it against the SDK's type."""
    inputs = [{"id": i} for i in ids]
    batch = api(sim, object_type).batch.with_raw_response
    return batch.get(inputs=inputs, properties=[], properties_with_history=[])


class BatchReadWithErrors(BatchResponseSimplePublicObject):
    """HubSpot's 207 answer to a batch read; the SDK types it without `numErrors`/`errors`."""

    num_errors: int = Field(alias="numErrors")
    errors: list[StandardError]


def search_body(prop: str, operator: str, **values: str) -> dict[str, Any]:
    """Keyword arguments of a typed search: one filter, sorted ascending by `prop`."""
    flt = {"property_name": prop, "operator": operator, **values}
    return {"filter_groups": [{"filters": [flt]}], "sorts": [prop], "properties": []}


def modified(record: Any, object_type: str) -> str:
    return record.properties[MODIFIED.get(object_type, "hs_lastmodifieddate")]


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_create_then_get_answers_hubspot_shape(sim: Running, object_type: str) -> None:
    created = create(sim, object_type)
    assert created.id.isdigit()
    assert created.properties["hs_object_id"] == created.id
    assert ISO_MS.match(modified(created, object_type))
    name = next(iter(SAMPLES[object_type][0].keys() - {"hs_timestamp"}))

    fetched = api(sim, object_type).get(created.id, properties=[name])

    assert fetched.id == created.id and fetched.archived is False
    assert fetched.properties[name] == SAMPLES[object_type][0][name]
    assert "hs_object_id" in fetched.properties
    unrequested = set(SAMPLES[object_type][0]) - {name}
    assert not unrequested & set(fetched.properties)


def test_raw_json_uses_strings_and_iso_timestamps(sim: Running) -> None:
    created = create(sim, "tasks")
    response = requests.get(
        f"{sim.url}/crm/objects/{VERSION}/tasks/{created.id}",
        params={"properties": "hs_timestamp,hs_task_subject,hs_task_body"},
        headers=AUTH,
        timeout=5,
    )
    body = response.json()
    assert body["id"] == created.id
    assert body["properties"]["hs_timestamp"] == "2025-03-03T15:00:00.000Z"
    assert all(isinstance(v, str) for k, v in body["properties"].items() if k != "hs_task_body")
    assert body["properties"]["hs_task_body"] is None  # requested but never set, as HubSpot
    assert ISO_MS.match(body["createdAt"]) and ISO_MS.match(body["updatedAt"])


def test_unset_property_is_null_beyond_the_sdk_type(sim: Running) -> None:
    """HubSpot documents a requested property without a value as null; the SDK's
    `properties: Dict[str, str]` has no room for it, so strict parsing refuses the answer.
    The service reads objects as plain JSON (shared/hubspot/client.py) and is unaffected."""
    created = create(sim, "tasks")
    with pytest.raises(hubspot_sdk.APIResponseValidationError) as caught:
        sim.client.crm.objects.tasks.get(created.id, properties=["hs_task_body"])
    assert caught.value.body["properties"]["hs_task_body"] is None


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_patch_updates_one_property_and_modified_date(sim: Running, object_type: str) -> None:
    created = create(sim, object_type)
    _, name, value = SAMPLES[object_type]

    updated = api(sim, object_type).update(created.id, properties={name: value})
    again = api(sim, object_type).update(created.id, properties={name: value})

    assert updated.properties[name] == value
    assert modified(created, object_type) < modified(updated, object_type)
    assert modified(updated, object_type) < modified(again, object_type)
    kept = next(iter(SAMPLES[object_type][0]))
    assert updated.properties[kept] == created.properties[kept]


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_batch_read_reports_missing_ids_with_207(sim: Running, object_type: str) -> None:
    ids = [create(sim, object_type).id for _ in range(3)]

    complete_answer = batch_read(sim, object_type, ids)
    partial_answer = batch_read(sim, object_type, [ids[0], "999999"])

    assert (complete_answer.status_code, partial_answer.status_code) == (200, 207)
    complete = complete_answer.parse()
    partial = partial_answer.parse(to=BatchReadWithErrors)
    assert complete.status == "COMPLETE"
    assert sorted(r.id for r in complete.results) == sorted(ids)
    assert [r.id for r in partial.results] == [ids[0]]
    assert partial.num_errors == 1
    assert partial.errors[0].category == "OBJECT_NOT_FOUND"
    assert partial.errors[0].context == {"ids": ["999999"]}


def test_batch_read_above_the_input_cap_is_a_400(start_simulator: Any) -> None:
    sim = start_simulator(batch_read_max_inputs=3)
    inputs = [{"id": str(i)} for i in range(4)]
    status, error = api_error(
        sim.client.crm.objects.notes.batch.get,
        inputs=inputs,
        properties=[],
        properties_with_history=[],
    )
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_list_pages_with_after_cursor(sim: Running, object_type: str) -> None:
    ids = [create(sim, object_type).id for _ in range(5)]
    page = api(sim, object_type).list(limit=2)
    seen, pages = [], 0
    while True:
        seen += [record.id for record in page.results]
        pages += 1
        if page.paging is None:
            break
        # The SDK's page type declares only `after`; HubSpot's `link` comes along as extra.
        assert page.paging.next.link.startswith(sim.url)
        page = page.get_next_page()  # the SDK's own paging: the same query, the next `after`
    assert seen == ids
    assert pages == 3


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_search_by_last_modified_date(sim: Running, object_type: str) -> None:
    first, second, third = (create(sim, object_type) for _ in range(3))
    prop = MODIFIED.get(object_type, "hs_lastmodifieddate")
    _, name, value = SAMPLES[object_type]
    api(sim, object_type).update(first.id, properties={name: value})
    cutoff = modified(second, object_type)

    def search(operator: str, **values: str) -> list[str]:
        body = search_body(prop, operator, **values)
        page = api(sim, object_type).search(after="0", limit=10, **body)
        assert page.total == len(page.results)
        return [record.id for record in page.results]

    assert search("GT", value=cutoff) == [third.id, first.id]
    assert search("GTE", value=cutoff) == [second.id, third.id, first.id]
    assert search("LT", value=cutoff) == []
    assert search("LTE", value=cutoff) == [second.id]
    assert search("EQ", value=cutoff) == [second.id]
    low, high = modified(second, object_type), modified(third, object_type)
    assert search("BETWEEN", value=low, high_value=high) == [second.id, third.id]


def test_search_accepts_epoch_millis_and_pages_by_offset(sim: Running) -> None:
    ids = [create(sim, "notes").id for _ in range(5)]
    body = search_body("hs_lastmodifieddate", "GT", value="0")
    body["properties"] = ["hs_note_body"]
    first = sim.client.crm.objects.notes.search(after="0", limit=2, **body)
    second = sim.client.crm.objects.notes.search(after=first.paging.next.after, limit=2, **body)

    assert first.total == 5
    assert [r.id for r in first.results + second.results] == ids[:4]
    assert first.results[0].properties["hs_note_body"] == "Budget approved"


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_archive_hides_the_object(sim: Running, object_type: str) -> None:
    kept, gone = create(sim, object_type), create(sim, object_type)
    resource = api(sim, object_type)

    resource.delete(gone.id)
    resource.delete(gone.id)  # archiving twice is fine, as in HubSpot

    status, error = api_error(resource.get, gone.id)
    assert (status, error["category"]) == (404, "OBJECT_NOT_FOUND")
    assert resource.get(gone.id, archived=True).archived is True
    assert [r.id for r in resource.list(limit=10).results] == [kept.id]


def test_object_type_ids_and_singular_names_work_in_paths(sim: Running) -> None:
    created = create(sim, "tasks", hubspot_owner_id=OWNER_ID)
    for alias in ("0-27", "task"):
        response = requests.get(
            f"{sim.url}/crm/objects/{VERSION}/{alias}/{created.id}",
            params=[("properties", "hubspot_owner_id")],
            headers=AUTH,
            timeout=5,
        )
        assert response.json()["properties"]["hubspot_owner_id"] == OWNER_ID
