"""HubSpot's error answers: 401, 404 (a missing object, or a path or version not served) and
the 400s for bad input."""

from __future__ import annotations

import uuid

import pytest
import requests

from devstack.hubspot_simulator.versions import SERVED_VERSIONS
from tests.devstack.hubspot_simulator.support import (
    AUTH,
    VERSION,
    Running,
    api_error,
    hubspot_client,
)


def test_wrong_token_is_401_with_hubspot_error_json(sim: Running) -> None:
    client = hubspot_client(sim.url, access_token="not-the-token")
    status, error = api_error(client.crm.objects.tasks.list)
    assert status == 401
    assert error["status"] == "error"
    assert error["category"] == "INVALID_AUTHENTICATION"
    uuid.UUID(error["correlationId"])


def test_missing_token_is_401(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/objects/{VERSION}/notes", timeout=5)
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"


def test_unknown_id_is_404_with_hubspot_message(sim: Running) -> None:
    status, error = api_error(sim.client.crm.objects.tasks.get, "987654")
    assert status == 404
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["message"] == "Object not found.  objectId are usually numeric."


def test_patch_of_unknown_id_is_404(sim: Running) -> None:
    properties = {"hs_task_status": "COMPLETED"}
    status, _ = api_error(sim.client.crm.objects.tasks.update, "987654", properties=properties)
    assert status == 404


@pytest.mark.parametrize(
    ("properties", "code"),
    [
        ({"hs_task_subject": "No due date"}, "REQUIRED_FIELD"),
        ({"hs_timestamp": "2025-03-01T10:00:00Z", "hs_task_status": "DONE"}, "INVALID_OPTION"),
        ({"hs_timestamp": "2025-03-01T10:00:00Z", "hs_task_priority": "URGENT"}, "INVALID_OPTION"),
        ({"hs_timestamp": "next tuesday"}, "INVALID_DATE"),
        ({"hs_timestamp": "2025-03-01T10:00:00Z", "hs_made_up": "x"}, "PROPERTY_DOESNT_EXIST"),
        ({"hs_timestamp": "2025-03-01T10:00:00Z", "hs_object_id": "5"}, "READ_ONLY_VALUE"),
    ],
)
def test_invalid_task_is_400_validation_error(
    sim: Running, properties: dict[str, str], code: str
) -> None:
    status, error = api_error(
        sim.client.crm.objects.tasks.create, properties=properties, associations=[]
    )
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")
    assert [e["code"] for e in error["errors"]] == [code]


def test_bad_enum_on_patch_is_400(sim: Running) -> None:
    tasks = sim.client.crm.objects.tasks
    created = tasks.create(properties={"hs_timestamp": "2025-03-01T10:00:00Z"}, associations=[])
    properties = {"hs_task_status": "FINISHED"}
    status, error = api_error(tasks.update, created.id, properties=properties)
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


def test_unknown_object_type_is_400(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/objects/{VERSION}/widgets/1", headers=AUTH, timeout=5)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_non_json_body_is_400(sim: Running) -> None:
    response = requests.post(
        f"{sim.url}/crm/objects/{VERSION}/notes",
        data="properties=hs_note_body",
        headers={**AUTH, "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_unknown_route_is_json_404_without_category(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/nothing/here/at/all", headers=AUTH, timeout=5)
    assert response.status_code == 404
    assert response.json()["status"] == "error"
    assert "category" not in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/crm/objects/2025-01/notes/1",
        "/crm/objects/2025-01/notes",
        "/crm/owners/2025-01",
        "/crm/associations/2025-01/notes/contacts/batch/read",
        "/account-info/2025-01/details",
        "/crm/v3/objects/notes",  # the legacy paths are no longer served
        "/crm/v3/objects/notes/1",
        "/crm/v3/owners",
    ],
)
def test_a_version_not_served_is_404_without_category(sim: Running, path: str) -> None:
    """A client tells a wrong version from a missing object (OBJECT_NOT_FOUND) by the category."""
    method = "POST" if path.endswith("/batch/read") else "GET"
    response = requests.request(method, f"{sim.url}{path}", headers=AUTH, json={}, timeout=5)

    assert response.status_code == 404
    error = response.json()
    assert (error["status"], "category" in error) == ("error", False)
    assert error["message"]
    uuid.UUID(error["correlationId"])


def test_the_sdk_sees_a_version_not_served_as_a_404_without_category(sim: Running) -> None:
    status, error = api_error(sim.client.get, "/crm/objects/2025-01/notes/1", cast_to=object)
    missing_status, missing = api_error(sim.client.crm.objects.notes.get, "987654")

    assert (status, "category" in error) == (404, False)
    assert (missing_status, missing["category"]) == (404, "OBJECT_NOT_FOUND")


@pytest.mark.parametrize("version", ["2026-03", "2026-09"])
def test_both_versions_are_served(sim: Running, version: str) -> None:
    notes = f"{sim.url}/crm/objects/{version}/notes"
    body = {"properties": {"hs_timestamp": "2025-03-01T10:00:00Z", "hs_note_body": "x"}}

    created = requests.post(notes, json=body, headers=AUTH, timeout=5)
    read = requests.get(f"{notes}/{created.json()['id']}", headers=AUTH, timeout=5)
    owners = requests.get(f"{sim.url}/crm/owners/{version}", headers=AUTH, timeout=5)
    account = requests.get(f"{sim.url}/account-info/{version}/details", headers=AUTH, timeout=5)

    assert version in SERVED_VERSIONS
    assert [r.status_code for r in (created, read, owners, account)] == [201, 200, 200, 200]
    by_route = sim.admin.get("/stats")["requests"]["by_route"]
    assert by_route[f"GET /crm/objects/{version}/notes/{{object_id}}"]["total"] == 1
