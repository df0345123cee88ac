"""Associations (v3 on reads, v4 endpoints) and owners through the real client."""

from __future__ import annotations

from typing import Any

from hubspot.crm.associations.v4 import (
    BatchInputPublicFetchAssociationsBatchRequest,
    PublicFetchAssociationsBatchRequest,
)
from hubspot.crm.contacts import SimplePublicObjectInputForCreate as ContactInput
from hubspot.crm.objects.notes import (
    AssociationSpec,
    PublicAssociationsForObject,
    PublicObjectId,
    SimplePublicObjectInputForCreate,
)

from tests.devstack.hubspot_simulator.support import OWNER_ID, Running, api_error

NOTE_TO_CONTACT, NOTE_TO_COMPANY = 202, 190


def contact(sim: Running, email: str) -> str:
    return sim.client.crm.contacts.basic_api.create(ContactInput(properties={"email": email})).id


def note_for(sim: Running, *targets: tuple[str, int]) -> str:
    associations = [
        PublicAssociationsForObject(
            to=PublicObjectId(id=target_id),
            types=[AssociationSpec("HUBSPOT_DEFINED", association_type_id=type_id)],
        )
        for target_id, type_id in targets
    ]
    body = SimplePublicObjectInputForCreate(
        properties={"hs_timestamp": "2025-03-01T10:00:00Z", "hs_note_body": "Call recap"},
        associations=associations,
    )
    return sim.client.crm.objects.notes.basic_api.create(body).id


def test_get_with_associations_lists_v3_results(sim: Running) -> None:
    dana, kevin = contact(sim, "dana@example.com"), contact(sim, "kevin@example.com")
    note_id = note_for(sim, (dana, NOTE_TO_CONTACT), (kevin, NOTE_TO_CONTACT))

    note = sim.client.crm.objects.notes.basic_api.get_by_id(
        note_id, associations=["contacts", "companies"]
    )

    results = note.associations["contacts"].results
    assert [(r.id, r.type) for r in results] == [
        (dana, "note_to_contact"),
        (kevin, "note_to_contact"),
    ]
    assert "companies" not in note.associations  # empty types are left out, as in HubSpot


def test_v4_associations_from_both_sides(sim: Running) -> None:
    dana = contact(sim, "dana@example.com")
    note_id = note_for(sim, (dana, NOTE_TO_CONTACT))
    v4 = sim.client.crm.associations.v4.basic_api

    from_note = v4.get_page("notes", note_id, "contacts")
    from_contact = v4.get_page("contacts", dana, "notes")

    assert [r.to_object_id for r in from_note.results] == [dana]
    assert from_note.results[0].association_types[0].type_id == NOTE_TO_CONTACT
    assert [r.to_object_id for r in from_contact.results] == [note_id]
    assert from_contact.results[0].association_types[0].type_id == 201


def test_v4_batch_read_reports_objects_without_associations(sim: Running) -> None:
    dana, lonely = contact(sim, "dana@example.com"), contact(sim, "solo@example.com")
    first, second = note_for(sim, (dana, NOTE_TO_CONTACT)), note_for(sim, (dana, NOTE_TO_CONTACT))
    body = BatchInputPublicFetchAssociationsBatchRequest(
        inputs=[PublicFetchAssociationsBatchRequest(id=i) for i in (dana, lonely)]
    )

    answer = sim.client.crm.associations.v4.batch_api.get_page("contacts", "notes", body)

    assert answer.status == "COMPLETE"
    assert [r._from.id for r in answer.results] == [dana]
    assert sorted(t.to_object_id for t in answer.results[0].to) == sorted([first, second])
    assert answer.num_errors == 1


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
    owners_api = sim.client.crm.owners.owners_api

    first = owners_api.get_page(limit=2)
    rest = owners_api.get_page(limit=2, after=first.paging.next.after)
    by_email = owners_api.get_page(email="REP1@example.com")

    ids = [o.id for o in first.results + rest.results]
    assert ids == ["71000010", "71000011", "71000012", OWNER_ID]
    assert rest.paging is None
    assert [(o.id, o.first_name, o.user_id) for o in by_email.results] == [
        ("71000011", "Rep1", 9100011)
    ]


def test_owner_by_id_and_by_user_id(sim: Running) -> None:
    owners_fixture(sim)
    owners_api = sim.client.crm.owners.owners_api

    by_id = owners_api.get_by_id(71000012)
    by_user: Any = owners_api.get_by_id(9100012, id_property="userId")
    status, error = api_error(owners_api.get_by_id, 1)

    assert by_id.email == by_user.email == "rep2@example.com"
    assert by_id.type == "PERSON" and by_id.archived is False
    assert (status, error["category"]) == (404, "OBJECT_NOT_FOUND")


def test_owner_id_on_writes_must_be_a_known_owner(sim: Running) -> None:
    body = SimplePublicObjectInputForCreate(
        properties={"hs_timestamp": "2025-03-01T10:00:00Z", "hubspot_owner_id": "1"}
    )
    status, error = api_error(sim.client.crm.objects.notes.basic_api.create, body)
    assert (status, error["errors"][0]["code"]) == (400, "INVALID_OWNER_ID")
