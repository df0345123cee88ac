"""Deals and their associations, through HubSpot's SDK with strict response validation."""

from __future__ import annotations

from typing import Any

from hubspot_sdk.types.crm import BatchResponsePublicAssociationMultiWithLabel

from tests.devstack.hubspot_simulator.support import Running, api_error

DEAL_TO_CONTACT, CONTACT_TO_DEAL, NOTE_TO_DEAL, DEAL_TO_NOTE = 3, 4, 214, 213
CONTACT_TO_NOTE, NOTE_TO_CONTACT = 201, 202


def link(to_id: str, type_id: int) -> dict[str, Any]:
    return {
        "to": {"id": to_id},
        "types": [{"association_category": "HUBSPOT_DEFINED", "association_type_id": type_id}],
    }


def contact(sim: Running) -> str:
    contacts = sim.client.crm.objects.contacts
    return contacts.create(properties={"email": "dana@example.com"}, associations=[]).id


def deal(sim: Running, contact_id: str, stage: str = "contractsent") -> str:
    properties = {
        "dealname": "Acme rollout",
        "dealstage": stage,
        "pipeline": "default",
        "amount": "84000",
        "closedate": "2026-04-30T00:00:00Z",
    }
    deals = sim.client.crm.objects.deals
    return deals.create(properties=properties, associations=[link(contact_id, DEAL_TO_CONTACT)]).id


def test_a_deal_reads_back_with_hubspots_calculated_closed_flags(sim: Running) -> None:
    deal_id = deal(sim, contact(sim))
    names = ["dealname", "dealstage", "amount", "closedate", "hs_is_closed", "hs_is_closed_won"]

    opened = sim.client.crm.objects.deals.get(deal_id, properties=names).properties
    sim.client.crm.objects.deals.update(deal_id, properties={"dealstage": "closedwon"})
    won = sim.client.crm.objects.deals.get(deal_id, properties=names).properties

    assert opened["dealname"] == "Acme rollout" and opened["amount"] == "84000"
    assert opened["closedate"] == "2026-04-30T00:00:00.000Z"
    assert (opened["hs_is_closed"], opened["hs_is_closed_won"]) == ("false", "false")
    assert (won["hs_is_closed"], won["hs_is_closed_won"]) == ("true", "true")


def test_the_closed_flags_are_read_only_and_stages_are_the_pipelines(sim: Running) -> None:
    deals = sim.client.crm.objects.deals
    dana = contact(sim)
    deal_id = deal(sim, dana)

    status, error = api_error(deals.update, deal_id, properties={"hs_is_closed": "true"})
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")
    status, error = api_error(deal, sim, dana, "almost-won")
    assert (status, error["category"]) == (400, "VALIDATION_ERROR")


def test_a_note_on_a_deal_is_found_from_the_note_the_deal_and_the_contact(sim: Running) -> None:
    dana = contact(sim)
    deal_id = deal(sim, dana)
    properties = {"hs_timestamp": "2026-03-01T10:00:00Z", "hs_note_body": "Sent the SOW"}
    links = [link(dana, NOTE_TO_CONTACT), link(deal_id, NOTE_TO_DEAL)]
    note_id = sim.client.crm.objects.notes.create(properties=properties, associations=links).id
    batch = sim.client.crm.associations.batch

    note = sim.client.crm.objects.notes.get(note_id, associations=["deals"])
    deals_of_contact = batch.get("deals", from_object_type="contacts", inputs=[{"id": dana}])
    notes_of_contact = batch.get("notes", from_object_type="contacts", inputs=[{"id": dana}])
    notes_of_deal = batch.get("notes", from_object_type="deals", inputs=[{"id": deal_id}])

    assert [(r.id, r.type) for r in note.associations["deals"].results] == [
        (deal_id, "note_to_deal")
    ]
    for answer, target, type_id in (
        (deals_of_contact, deal_id, CONTACT_TO_DEAL),
        (notes_of_contact, note_id, CONTACT_TO_NOTE),
        (notes_of_deal, note_id, DEAL_TO_NOTE),
    ):
        assert isinstance(answer, BatchResponsePublicAssociationMultiWithLabel)
        [target_link] = answer.results[0].to
        assert target_link.to_object_id == target
        assert target_link.association_types[0].type_id == type_id


def test_the_demo_portal_has_open_and_closed_deals(sim: Running) -> None:
    sim.admin.post("/fixtures", {"demo": True}, expect=201)
    names = ["dealname", "hs_is_closed"]

    page = sim.client.crm.objects.deals.list(limit=10, properties=names)

    closed = {d.properties["dealname"]: d.properties["hs_is_closed"] for d in page.results}
    assert "false" in closed.values() and "true" in closed.values()


def test_a_token_without_the_deals_scope_is_refused_deals_only(start_simulator) -> None:
    sim = start_simulator(ungranted_object_types=("deals",))
    dana = contact(sim)

    status, error = api_error(deal, sim, dana)
    listed, _ = api_error(
        sim.client.crm.associations.batch.get, "deals", from_object_type="contacts", inputs=[]
    )

    assert (status, error["category"], listed) == (403, "MISSING_SCOPES", 403)
    assert error["errors"][0]["context"] == {"requiredGranularScopes": ["crm.objects.deals.read"]}
    assert sim.client.crm.objects.contacts.get(dana, properties=["email"]).id == dana
