"""The admin API: demo data and fixtures, activities, writes, stats, reset."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from devstack.hubspot_simulator.fixtures import demo_data, resolve_times
from tests.devstack.hubspot_simulator.support import Receiver, Running


def all_of(sim: Running, object_type: str) -> list[Any]:
    resource = getattr(sim.client.crm.objects, object_type)
    return resource.list(limit=100, associations=["contacts", "companies"]).results


def test_demo_dataset_loads_all_activity_types(sim: Running) -> None:
    counts = sim.admin.post("/fixtures", {"demo": True}, expect=201)

    assert (counts["owners"], counts["contacts"], counts["companies"]) == (3, 8, 4)
    loaded = {t: all_of(sim, t) for t in ("tasks", "notes", "meetings", "calls", "emails")}
    assert sum(len(records) for records in loaded.values()) >= 25
    assert all(len(records) >= 3 for records in loaded.values())
    for records in loaded.values():
        assert all("contacts" in r.associations and "companies" in r.associations for r in records)
    owners = {o.id for o in sim.client.crm.owners.list().results}
    assert len(owners) == 4  # the demo's three plus the test's own


def test_demo_activities_are_owned_and_timestamped_relative_to_now(sim: Running) -> None:
    sim.admin.post("/fixtures", {"demo": True}, expect=201)
    calls = sim.client.crm.objects.calls.list(
        limit=100, properties=["hs_timestamp", "hubspot_owner_id", "hs_call_title"]
    ).results
    demo_owner_ids = {owner["id"] for owner in demo_data()["owners"]}

    now = datetime.now(UTC)
    for call in calls:
        moment = datetime.fromisoformat(call.properties["hs_timestamp"].replace("Z", "+00:00"))
        assert now - timedelta(days=15) < moment < now + timedelta(days=15)
        assert call.properties["hubspot_owner_id"] in demo_owner_ids
    titles = [call.properties["hs_call_title"] for call in calls]
    assert any("Dana Ortiz" in title for title in titles)


def test_relative_times_resolve_against_now() -> None:
    now = datetime(2025, 3, 10, 12, 30, tzinfo=UTC)
    resolved = resolve_times(
        {"hs_timestamp": "-2d", "hs_meeting_start_time": "+1w@09:15", "hs_note_body": "-2d"}, now
    )
    assert resolved == {
        "hs_timestamp": "2025-03-08T12:30:00.000Z",
        "hs_meeting_start_time": "2025-03-17T09:15:00.000Z",
        "hs_note_body": "-2d",  # only datetime properties are relative
    }


def test_fixture_keys_link_contacts_companies_and_activities(sim: Running) -> None:
    fixtures = {
        "companies": [{"key": "acme", "properties": {"name": "Acme"}}],
        "contacts": [
            {"key": "ann", "properties": {"email": "ann@acme.example"}, "companies": ["acme"]}
        ],
        "activities": [
            {"type": "notes", "properties": {"hs_timestamp": "now"}, "contacts": ["ann"]}
        ],
    }
    answer = sim.admin.post("/fixtures", fixtures, expect=201)

    [note] = all_of(sim, "notes")
    assert [r.id for r in note.associations["contacts"].results] == [answer["keys"]["ann"]]
    company = sim.client.crm.associations.list(
        "companies", object_type="contacts", object_id=answer["keys"]["ann"]
    )
    assert [r.to_object_id for r in company.results] == [answer["keys"]["acme"]]


def test_broken_fixture_is_a_400(sim: Running) -> None:
    error = sim.admin.post(
        "/fixtures", {"activities": [{"type": "tasks", "properties": {}}]}, expect=400
    )
    assert error["category"] == "VALIDATION_ERROR"


def test_admin_activities_fire_webhooks_as_crm_ui(hooked: Running, receiver: Receiver) -> None:
    answer = hooked.admin.post(
        "/activities",
        [
            {"type": "calls", "properties": {"hs_timestamp": "-1h", "hs_call_title": "Intro"}},
            {"type": "emails", "properties": {"hs_timestamp": "now"}},
        ],
        expect=201,
    )
    hooked.admin.flush()

    created = {int(result["id"]) for result in answer["results"]}
    assert {e["objectId"] for e in receiver.events()} == created
    assert {e["objectTypeId"] for e in receiver.events()} == {"0-48", "0-49"}
    assert {e["changeSource"] for e in receiver.events()} == {"CRM_UI"}


def test_writes_lists_what_api_callers_wrote(sim: Running) -> None:
    contact = sim.admin.post("/activities", {"type": "contacts", "properties": {"email": "a@x.io"}})
    contact_id = contact["results"][0]["id"]
    tasks = sim.client.crm.objects.tasks
    spec: Any = {"association_category": "HUBSPOT_DEFINED", "association_type_id": 204}
    created = tasks.create(
        properties={"hs_timestamp": "2025-03-03T15:00:00Z", "hs_task_subject": "Follow up"},
        associations=[{"to": {"id": contact_id}, "types": [spec]}],
    )
    tasks.update(created.id, properties={"hs_task_body": "Draft"})

    writes = sim.admin.get("/writes", objectType="tasks")["results"]

    assert [(w["kind"], w["objectId"]) for w in writes] == [
        ("create", created.id),
        ("update", created.id),
    ]
    assert writes[0]["properties"]["hs_task_subject"] == "Follow up"
    assert writes[0]["associations"] == [{"toObjectType": "contacts", "toObjectId": contact_id}]
    assert writes[1]["properties"] == {"hs_task_body": "Draft"}
    assert sim.admin.get("/writes", objectType="contacts")["results"] == []  # admin-made


def test_stats_count_requests_per_route_and_type(sim: Running) -> None:
    sim.admin.post("/fixtures", {"demo": True}, expect=201)
    sim.client.crm.objects.notes.list()
    sim.client.crm.objects.notes.list()
    sim.client.crm.objects.tasks.list()

    requests_ = sim.admin.get("/stats", deliveries="false")["requests"]

    assert requests_["by_route"]["GET /crm/objects/2026-03/notes"]["total"] == 2
    assert requests_["by_route"]["GET /crm/objects/2026-03/tasks"]["by_status"] == {"200": 1}
    assert requests_["total"] == 3  # admin calls are not counted


def test_reset_empties_the_portal_and_counters(sim: Running) -> None:
    sim.admin.post("/fixtures", {"demo": True}, expect=201)
    sim.admin.post("/faults", {"latency_ms": 5})
    sim.client.crm.objects.notes.list()

    sim.admin.post("/reset")

    assert sim.client.crm.objects.notes.list().results == []
    assert sim.client.crm.owners.list().results == []
    assert sim.admin.get("/faults")["latency_ms"] == 0
    stats = sim.admin.get("/stats")
    assert stats["requests"]["total"] == 2  # the two reads after the reset
    assert Counter(sim.admin.get("/writes")["results"]) == Counter()


def test_flush_without_a_webhook_target_returns_at_once(sim: Running) -> None:
    sim.admin.post("/activities", {"type": "notes", "properties": {"hs_timestamp": "now"}})
    assert sim.admin.post("/webhooks/flush") == {"flushed": True, "pending": 0}


def test_ids_can_start_past_an_earlier_runs(start_simulator):
    running = start_simulator(first_object_id=1_795_000_000_000)

    created = running.admin.post(
        "/activities", {"type": "note", "properties": {"hs_timestamp": "-1d", "hs_note_body": "x"}}
    )

    assert int(created["results"][0]["id"]) == 1_795_000_000_000
