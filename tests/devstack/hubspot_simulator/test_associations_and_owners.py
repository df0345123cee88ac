"""Associations (on object reads, and the association endpoints) and owners, through the SDK."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hubspot_sdk.types.crm import (
    BatchResponsePublicAssociationMultiWithLabel,
    MultiAssociatedObjectWithLabel,
    PublicOwner,
)
from hubspot_sdk.types.shared import StandardError
from pydantic import Field

from tests.devstack.hubspot_simulator.support import OWNER_ID, Running, api_error

NOTE_TO_CONTACT, NOTE_TO_COMPANY = 202, 190


class AssociationsWithErrors(BatchResponsePublicAssociationMultiWithLabel):
    """HubSpot's 207 answer to an associations batch read; the SDK types it without errors."""

    num_errors: int = Field(alias="numErrors")
    errors: list[StandardError]


def contact(sim: Running, email: str) -> str:
    return sim.client.crm.objects.contacts.create(properties={"email": email}, associations=[]).id


def note_for(sim: Running, *targets: tuple[str, int]) -> str:
    associations: list[Any] = [
        {
            "to": {"id": target_id},
            "types": [{"association_category": "HUBSPOT_DEFINED", "association_type_id": type_id}],
        }
        for target_id, type_id in targets
    ]
    properties = {"hs_timestamp": "2025-03-01T10:00:00Z", "hs_note_body": "Call recap"}
    return sim.client.crm.objects.notes.create(properties=properties, associations=associations).id


def batch_read(sim: Running, from_type: str, to_type: str, ids: list[str]) -> Any:
    """The raw associations batch read; `.parse()` checks it against the SDK's type."""
    batch = sim.client.crm.associations.batch.with_raw_response
    return batch.get(to_type, from_object_type=from_type, inputs=[{"id": i} for i in ids])


def test_get_with_associations_lists_results(sim: Running) -> None:
    dana, kevin = contact(sim, "dana@example.com"), contact(sim, "kevin@example.com")
    note_id = note_for(sim, (dana, NOTE_TO_CONTACT), (kevin, NOTE_TO_CONTACT))

    note = sim.client.crm.objects.notes.get(note_id, associations=["contacts", "companies"])

    results = note.associations["contacts"].results
    assert [(r.id, r.type) for r in results] == [
        (dana, "note_to_contact"),
        (kevin, "note_to_contact"),
    ]
    assert "companies" not in note.associations  # empty types are left out, as in HubSpot


def test_associations_from_both_sides(sim: Running) -> None:
    dana = contact(sim, "dana@example.com")
    note_id = note_for(sim, (dana, NOTE_TO_CONTACT))
    associations = sim.client.crm.associations

    from_note = associations.list("contacts", object_type="notes", object_id=note_id)
    from_contact = associations.list("notes", object_type="contacts", object_id=dana)

    assert [r.to_object_id for r in from_note.results] == [dana]
    assert from_note.results[0].association_types[0].type_id == NOTE_TO_CONTACT
    assert [r.to_object_id for r in from_contact.results] == [note_id]
    assert from_contact.results[0].association_types[0].type_id == 201


def test_batch_read_reports_objects_without_associations(sim: Running) -> None:
    dana, lonely = contact(sim, "dana@example.com"), contact(sim, "solo@example.com")
    first, second = note_for(sim, (dana, NOTE_TO_CONTACT)), note_for(sim, (dana, NOTE_TO_CONTACT))

    raw = batch_read(sim, "contacts", "notes", [dana, lonely])

    assert raw.status_code == 207
    answer = raw.parse(to=AssociationsWithErrors)
    assert answer.status == "COMPLETE"
    assert [r.from_.id for r in answer.results] == [dana]
    assert sorted(t.to_object_id for t in answer.results[0].to) == sorted([first, second])
    assert answer.num_errors == 1
    assert answer.errors[0].category == "OBJECT_NOT_FOUND"
    assert answer.errors[0].context == {"fromObjectId": [lonely]}


def test_batch_read_answers_to_object_ids_as_strings(sim: Running) -> None:
    """2026-03 gives `toObjectId` as a string (v4 gave an integer); the typed read parses it."""
    dana = contact(sim, "dana@example.com")
    note_id = note_for(sim, (dana, NOTE_TO_CONTACT))

    raw = batch_read(sim, "notes", "contacts", [note_id])
    typed = sim.client.crm.associations.batch.get(
        "contacts", from_object_type="notes", inputs=[{"id": note_id}]
    )

    [row] = raw.http_response.json()["results"]
    assert row["to"] == [
        {
            "toObjectId": dana,
            "associationTypes": [
                {"category": "HUBSPOT_DEFINED", "typeId": NOTE_TO_CONTACT, "label": None}
            ],
        }
    ]
    assert isinstance(typed, BatchResponsePublicAssociationMultiWithLabel)
    [target] = typed.results[0].to
    assert isinstance(target, MultiAssociatedObjectWithLabel)
    assert (target.to_object_id, typed.results[0].from_.id) == (dana, note_id)


def test_association_to_a_missing_object_is_a_400(sim: Running) -> None:
    status, error = api_error(note_for, sim, ("424242", NOTE_TO_CONTACT))
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


def test_association_type_must_start_at_the_created_type(sim: Running) -> None:
    dana = contact(sim, "dana@example.com")
    status, error = api_error(note_for, sim, (dana, 204))  # task_to_contact
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


def owners_fixture(sim: Running) -> None:
    owners = [
        {
            "id": str(71000010 + i),
            "email": f"rep{i}@example.com",
            "firstName": f"Rep{i}",
            "lastName": "Smith",
            "userId": 9100010 + i,
        }
        for i in range(3)
    ]
    sim.admin.post("/fixtures", {"owners": owners})


def test_owners_list_pages_and_filters_by_email(sim: Running) -> None:
    owners_fixture(sim)
    owners = sim.client.crm.owners

    first = owners.list(limit=2)
    rest = owners.list(limit=2, after=first.paging.next.after)
    by_email = owners.list(email="REP1@example.com")

    ids = [o.id for o in first.results + rest.results]
    assert ids == ["71000010", "71000011", "71000012", OWNER_ID]
    assert rest.paging is None
    assert [(o.id, o.first_name, o.user_id) for o in by_email.results] == [
        ("71000011", "Rep1", 9100011)
    ]
    assert all(isinstance(o, PublicOwner) for o in first.results + by_email.results)


def test_owner_by_id_and_by_user_id(sim: Running) -> None:
    owners_fixture(sim)
    owners = sim.client.crm.owners

    by_id = owners.get(71000012)
    by_user = owners.get(9100012, id_property="userId")
    status, error = api_error(owners.get, 1)

    assert by_id.email == by_user.email == "rep2@example.com"
    assert by_id.type == "PERSON" and by_id.archived is False
    assert (status, error["category"]) == (404, "OBJECT_NOT_FOUND")
    assert isinstance(by_id, PublicOwner) and isinstance(by_id.created_at, datetime)
    assert (by_id.id, by_id.user_id, by_id.last_name) == ("71000012", 9100012, "Smith")


def test_owner_id_on_writes_must_be_a_known_owner(sim: Running) -> None:
    properties = {"hs_timestamp": "2025-03-01T10:00:00Z", "hubspot_owner_id": "1"}
    status, error = api_error(
        sim.client.crm.objects.notes.create, properties=properties, associations=[]
    )
    assert (status, error["errors"][0]["code"]) == (400, "INVALID_OWNER_ID")
