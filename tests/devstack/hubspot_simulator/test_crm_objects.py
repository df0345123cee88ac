"""CRM v3 objects through the real hubspot-api-client: every type, every operation."""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any

import pytest
import requests

from tests.devstack.hubspot_simulator.support import ACCESS_TOKEN, OWNER_ID, Running, api_error

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
    "contacts": ({"email": "dana@example.com", "firstname": "Dana"}, "jobtitle", "VP Operations"),
    "companies": ({"name": "Northwind", "domain": "northwind.example"}, "city", "Denver"),
}
MODIFIED = {"contacts": "lastmodifieddate"}
ALL_TYPES = list(SAMPLES)


def api(sim: Running, object_type: str) -> Any:
    """The per-type discovery: client.crm.objects.tasks, client.crm.contacts, ..."""
    if object_type in ("contacts", "companies"):
        return getattr(sim.client.crm, object_type)
    return getattr(sim.client.crm.objects, object_type)


def models(object_type: str) -> ModuleType:
    prefix = "hubspot.crm." if object_type in ("contacts", "companies") else "hubspot.crm.objects."
    return importlib.import_module(prefix + object_type)


def create(sim: Running, object_type: str, **extra: str) -> Any:
    properties = {**SAMPLES[object_type][0], **extra}
    body = models(object_type).SimplePublicObjectInputForCreate(properties=properties)
    return api(sim, object_type).basic_api.create(body)


def modified(record: Any, object_type: str) -> str:
    return record.properties[MODIFIED.get(object_type, "hs_lastmodifieddate")]


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_create_then_get_answers_hubspot_shape(sim: Running, object_type: str) -> None:
    created = create(sim, object_type)
    assert created.id.isdigit()
    assert created.properties["hs_object_id"] == created.id
    assert ISO_MS.match(modified(created, object_type))
    name = next(iter(SAMPLES[object_type][0].keys() - {"hs_timestamp"}))

    fetched = api(sim, object_type).basic_api.get_by_id(created.id, properties=[name])

    assert fetched.id == created.id and fetched.archived is False
    assert fetched.properties[name] == SAMPLES[object_type][0][name]
    assert "hs_object_id" in fetched.properties
    unrequested = set(SAMPLES[object_type][0]) - {name}
    assert not unrequested & set(fetched.properties)


def test_raw_json_uses_strings_and_iso_timestamps(sim: Running) -> None:
    created = create(sim, "tasks")
    response = requests.get(
        f"{sim.url}/crm/v3/objects/tasks/{created.id}",
        params={"properties": "hs_timestamp,hs_task_subject,hs_task_body"},
        headers={"Authorization": f"Bearer {ACCESS_TOKEN}"},
        timeout=5,
    )
    body = response.json()
    assert body["id"] == created.id
    assert body["properties"]["hs_timestamp"] == "2025-03-03T15:00:00.000Z"
    assert all(isinstance(v, str) for k, v in body["properties"].items() if k != "hs_task_body")
    assert body["properties"]["hs_task_body"] is None  # requested but never set, as HubSpot
    assert ISO_MS.match(body["createdAt"]) and ISO_MS.match(body["updatedAt"])


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_patch_updates_one_property_and_modified_date(sim: Running, object_type: str) -> None:
    created = create(sim, object_type)
    _, name, value = SAMPLES[object_type]
    body = models(object_type).SimplePublicObjectInput(properties={name: value})

    updated = api(sim, object_type).basic_api.update(created.id, body)
    again = api(sim, object_type).basic_api.update(created.id, body)

    assert updated.properties[name] == value
    assert modified(created, object_type) < modified(updated, object_type)
    assert modified(updated, object_type) < modified(again, object_type)
    kept = next(iter(SAMPLES[object_type][0]))
    assert updated.properties[kept] == created.properties[kept]


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_batch_read_reports_missing_ids_with_207(sim: Running, object_type: str) -> None:
    ids = [create(sim, object_type).id for _ in range(3)]
    module = models(object_type)
    batch_api = api(sim, object_type).batch_api

    complete = batch_api.read(
        module.BatchReadInputSimplePublicObjectId(
            inputs=[module.SimplePublicObjectId(id=i) for i in ids], properties=[]
        )
    )
    partial = batch_api.read(
        module.BatchReadInputSimplePublicObjectId(
            inputs=[module.SimplePublicObjectId(id=i) for i in (ids[0], "999999")], properties=[]
        )
    )

    assert complete.status == "COMPLETE"
    assert sorted(r.id for r in complete.results) == sorted(ids)
    assert [r.id for r in partial.results] == [ids[0]]
    assert partial.num_errors == 1
    assert partial.errors[0].category == "OBJECT_NOT_FOUND"
    assert partial.errors[0].context == {"ids": ["999999"]}


def test_batch_read_above_the_input_cap_is_a_400(start_simulator: Any) -> None:
    sim = start_simulator(batch_read_max_inputs=3)
    module = models("notes")
    body = module.BatchReadInputSimplePublicObjectId(
        inputs=[module.SimplePublicObjectId(id=str(i)) for i in range(4)], properties=[]
    )
    status, error = api_error(sim.client.crm.objects.notes.batch_api.read, body)
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_list_pages_with_after_cursor(sim: Running, object_type: str) -> None:
    ids = [create(sim, object_type).id for _ in range(5)]
    basic_api = api(sim, object_type).basic_api
    seen, after, pages = [], None, 0
    while True:
        page = basic_api.get_page(limit=2, after=after)
        seen += [record.id for record in page.results]
        pages += 1
        if page.paging is None:
            break
        assert page.paging.next.link.startswith(sim.url)
        after = page.paging.next.after
    assert seen == ids
    assert pages == 3


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_search_by_last_modified_date(sim: Running, object_type: str) -> None:
    first, second, third = (create(sim, object_type) for _ in range(3))
    prop = MODIFIED.get(object_type, "hs_lastmodifieddate")
    module = models(object_type)
    _, name, value = SAMPLES[object_type]
    api(sim, object_type).basic_api.update(first.id, module.SimplePublicObjectInput({name: value}))
    cutoff = modified(second, object_type)

    def search(operator: str, **values: str) -> list[str]:
        request = module.PublicObjectSearchRequest(
            filter_groups=[
                module.FilterGroup(
                    filters=[module.Filter(property_name=prop, operator=operator, **values)]
                )
            ],
            sorts=[{"propertyName": prop, "direction": "ASCENDING"}],
            limit=10,
        )
        page = api(sim, object_type).search_api.do_search(request)
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
    module = models("notes")
    request = module.PublicObjectSearchRequest(
        filter_groups=[
            module.FilterGroup(
                filters=[
                    module.Filter(property_name="hs_lastmodifieddate", operator="GT", value="0")
                ]
            )
        ],
        sorts=["hs_lastmodifieddate"],
        properties=["hs_note_body"],
        limit=2,
    )
    first = sim.client.crm.objects.notes.search_api.do_search(request)
    request.after = first.paging.next.after
    second = sim.client.crm.objects.notes.search_api.do_search(request)

    assert first.total == 5
    assert [r.id for r in first.results + second.results] == ids[:4]
    assert first.results[0].properties["hs_note_body"] == "Budget approved"


@pytest.mark.parametrize("object_type", ALL_TYPES)
def test_archive_hides_the_object(sim: Running, object_type: str) -> None:
    kept, gone = create(sim, object_type), create(sim, object_type)
    basic_api = api(sim, object_type).basic_api

    basic_api.archive(gone.id)
    basic_api.archive(gone.id)  # archiving twice is fine, as in HubSpot

    status, error = api_error(basic_api.get_by_id, gone.id)
    assert (status, error["category"]) == (404, "OBJECT_NOT_FOUND")
    assert basic_api.get_by_id(gone.id, archived=True).archived is True
    assert [r.id for r in basic_api.get_page(limit=10).results] == [kept.id]


def test_object_type_ids_and_singular_names_work_in_paths(sim: Running) -> None:
    created = create(sim, "tasks", hubspot_owner_id=OWNER_ID)
    headers = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
    for alias in ("0-27", "task"):
        response = requests.get(
            f"{sim.url}/crm/v3/objects/{alias}/{created.id}",
            params=[("properties", "hubspot_owner_id")],
            headers=headers,
            timeout=5,
        )
        assert response.json()["properties"]["hubspot_owner_id"] == OWNER_ID
