"""HubSpot's error answers: 401, 404 and the 400s for bad input."""

from __future__ import annotations

import uuid

import pytest
import requests
from hubspot.crm.objects.tasks import SimplePublicObjectInput, SimplePublicObjectInputForCreate

from tests.devstack.hubspot_simulator.support import (
    ACCESS_TOKEN,
    Running,
    api_error,
    hubspot_client,
)

AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}


def test_wrong_token_is_401_with_hubspot_error_json(sim: Running) -> None:
    client = hubspot_client(sim.url, access_token="not-the-token")
    status, error = api_error(client.crm.objects.tasks.basic_api.get_page)
    assert status == 401
    assert error["status"] == "error"
    assert error["category"] == "INVALID_AUTHENTICATION"
    uuid.UUID(error["correlationId"])


def test_missing_token_is_401(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/v3/objects/notes", timeout=5)
    assert response.status_code == 401
    assert response.json()["category"] == "INVALID_AUTHENTICATION"


def test_unknown_id_is_404_with_hubspot_message(sim: Running) -> None:
    status, error = api_error(sim.client.crm.objects.tasks.basic_api.get_by_id, "987654")
    assert status == 404
    assert error["category"] == "OBJECT_NOT_FOUND"
    assert error["message"] == "Object not found.  objectId are usually numeric."


def test_patch_of_unknown_id_is_404(sim: Running) -> None:
    body = SimplePublicObjectInput(properties={"hs_task_status": "COMPLETED"})
    status, _ = api_error(sim.client.crm.objects.tasks.basic_api.update, "987654", body)
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
    body = SimplePublicObjectInputForCreate(properties=properties)
    status, error = api_error(sim.client.crm.objects.tasks.basic_api.create, body)
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")
    assert [e["code"] for e in error["errors"]] == [code]


def test_bad_enum_on_patch_is_400(sim: Running) -> None:
    created = sim.client.crm.objects.tasks.basic_api.create(
        SimplePublicObjectInputForCreate(properties={"hs_timestamp": "2025-03-01T10:00:00Z"})
    )
    body = SimplePublicObjectInput(properties={"hs_task_status": "FINISHED"})
    status, error = api_error(sim.client.crm.objects.tasks.basic_api.update, created.id, body)
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


def test_unknown_object_type_is_400(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/v3/objects/widgets/1", headers=AUTH, timeout=5)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_non_json_body_is_400(sim: Running) -> None:
    response = requests.post(
        f"{sim.url}/crm/v3/objects/notes",
        data="properties=hs_note_body",
        headers={**AUTH, "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_unknown_route_is_json_404(sim: Running) -> None:
    response = requests.get(f"{sim.url}/crm/v3/nothing/here/at/all", headers=AUTH, timeout=5)
    assert response.status_code == 404
    assert response.json()["status"] == "error"
