"""Several accounts: each sees only its own data, has its own rate limits and request counts,
and a token of one never reaches another's objects."""

from __future__ import annotations

from typing import Any

import requests

from tests.devstack.hubspot_simulator.support import (
    PORTAL_ID,
    VERSION,
    Running,
    api_error,
    hubspot_client,
    install,
)

OTHER_PORTAL = 7_000_001


def add_account(sim: Running, **settings: Any) -> dict[str, Any]:
    return sim.admin.post("/accounts", {"portalId": OTHER_PORTAL, **settings}, expect=201)


def seed_task(sim: Running, subject: str, portal_id: int | None = None) -> str:
    path = "/activities" if portal_id is None else f"/activities?portalId={portal_id}"
    item = {"type": "tasks", "properties": {"hs_timestamp": "now", "hs_task_subject": subject}}
    return sim.admin.post(path, item, expect=201)["results"][0]["id"]


def subjects(client: Any) -> list[str]:
    tasks = client.crm.objects.tasks.list(properties=["hs_task_subject"]).results
    return [task.properties["hs_task_subject"] for task in tasks]


def test_each_token_sees_only_its_accounts_data_and_details(sim: Running) -> None:
    add_account(sim, timeZone="Europe/Berlin")
    seed_task(sim, "default's task")
    seed_task(sim, "other's task", OTHER_PORTAL)
    other = hubspot_client(sim.url, install(sim.url, portalId=OTHER_PORTAL)["access_token"])

    assert subjects(sim.client) == ["default's task"]
    assert subjects(other) == ["other's task"]
    details = other.account.get()
    assert (details.portal_id, details.time_zone) == (OTHER_PORTAL, "Europe/Berlin")
    assert sim.client.account.get().portal_id == PORTAL_ID


def test_object_ids_never_repeat_across_accounts(sim: Running) -> None:
    add_account(sim)
    ids = [seed_task(sim, "a"), seed_task(sim, "b", OTHER_PORTAL), seed_task(sim, "c")]

    assert len(set(ids)) == 3


def test_stats_count_each_accounts_requests_per_token(sim: Running) -> None:
    add_account(sim)
    token = install(sim.url, portalId=OTHER_PORTAL)["access_token"]
    other = hubspot_client(sim.url, token)
    sim.client.crm.objects.tasks.list()
    other.crm.objects.tasks.list()
    other.crm.objects.notes.list()

    accounts = sim.admin.get("/stats")["accounts"]

    assert accounts[str(PORTAL_ID)]["by_token"] == {"static": 1}
    assert accounts[str(OTHER_PORTAL)]["by_token"] == {token: 2}
    assert accounts[str(OTHER_PORTAL)]["by_route"] == {
        f"GET /crm/objects/{VERSION}/notes": 1,
        f"GET /crm/objects/{VERSION}/tasks": 1,
    }


def test_reading_another_accounts_object_is_404_and_counted(sim: Running) -> None:
    add_account(sim)
    foreign = seed_task(sim, "default's task")
    other = hubspot_client(sim.url, install(sim.url, portalId=OTHER_PORTAL)["access_token"])
    assert sim.admin.get("/stats")["cross_account_requests"] == 0

    status, _ = api_error(other.crm.objects.tasks.get, foreign)
    batch = other.crm.objects.tasks.batch.with_raw_response.get(
        inputs=[{"id": foreign}], properties=[], properties_with_history=[]
    )

    assert status == 404
    assert (batch.status_code, batch.json()["results"]) == (207, [])
    stats = sim.admin.get("/stats")
    assert stats["cross_account_requests"] == 2
    assert stats["accounts"][str(OTHER_PORTAL)]["cross_account"] == 2
    assert stats["accounts"][str(PORTAL_ID)]["cross_account"] == 0


def test_rate_limits_are_per_account(start_simulator: Any) -> None:
    sim = start_simulator(burst_limit=2)
    add_account(sim)
    other = hubspot_client(sim.url, install(sim.url, portalId=OTHER_PORTAL)["access_token"])
    for _ in range(2):
        sim.client.crm.objects.tasks.list()

    status, _ = api_error(sim.client.crm.objects.tasks.list)

    assert status == 429
    assert other.crm.objects.tasks.list().results == []


def test_admin_changes_reach_the_named_account_only(sim: Running) -> None:
    add_account(sim)
    task_id = seed_task(sim, "before", OTHER_PORTAL)
    path = f"{sim.admin.url}/objects/tasks/{task_id}"
    body = {"properties": {"hs_task_subject": "after"}}

    assert requests.patch(path, json=body, timeout=5).status_code == 404
    edited = requests.patch(f"{path}?portalId={OTHER_PORTAL}", json=body, timeout=5)
    assert edited.json()["properties"]["hs_task_subject"] == "after"


def test_accounts_are_listed_and_reset_leaves_the_default_alone(sim: Running) -> None:
    add_account(sim, companyCurrency="EUR")
    assert sim.admin.post("/accounts", {"portalId": OTHER_PORTAL}, expect=400)
    listed = {a["portalId"]: a for a in sim.admin.get("/accounts")["results"]}
    assert listed[OTHER_PORTAL]["companyCurrency"] == "EUR"
    assert (listed[PORTAL_ID]["default"], listed[OTHER_PORTAL]["default"]) == (True, False)

    sim.admin.post("/reset")

    assert [a["portalId"] for a in sim.admin.get("/accounts")["results"]] == [PORTAL_ID]
