"""The local webhooks journal: each install's events by offset, read with the app's
client-credentials token through HubSpot's own SDK where it has typed answers."""

from __future__ import annotations

from typing import Any

import requests

from devstack.hubspot_simulator.journal import RETENTION_SECONDS, Journal
from tests.devstack.hubspot_simulator.support import (
    AUTH,
    PORTAL_ID,
    Running,
    api_error,
    app_token,
    hubspot_client,
    install,
)

OTHER_PORTAL = 7_000_001
LOCAL = "/webhooks-journal/journal-local/2026-03"
TASK = {"hs_timestamp": "2025-03-03T15:00:00Z", "hs_task_subject": "Call back"}


def journal_client(sim: Running) -> Any:
    return hubspot_client(sim.url, app_token(sim.url)).webhooks_journal.journal_local


def events_of(results: list[Any]) -> list[dict[str, Any]]:
    """Each entry's file, fetched as HubSpot's pre-signed URLs are: without a token."""
    return [requests.get(result.url, timeout=5).json() for result in results]


def other_account_with_a_task_history(sim: Running) -> str:
    sim.admin.post("/accounts", {"portalId": OTHER_PORTAL}, expect=201)
    tasks = hubspot_client(sim.url, install(sim.url, portalId=OTHER_PORTAL)["access_token"])
    task_id = tasks.crm.objects.tasks.create(properties=TASK, associations=[]).id
    tasks.crm.objects.tasks.update(task_id, properties={"hs_task_status": "COMPLETED"})
    tasks.crm.objects.tasks.delete(task_id)
    return task_id


def test_an_installs_journal_holds_its_events_in_order(sim: Running) -> None:
    task_id = other_account_with_a_task_history(sim)
    sim.client.crm.objects.tasks.create(properties=TASK, associations=[])  # the default's

    batch = journal_client(sim).batch.get_earliest(100, install_portal_id=OTHER_PORTAL)

    events = events_of(batch.results)
    assert [(e["subscriptionType"], e["action"]) for e in events] == [
        ("APP_LIFECYCLE_EVENT", "APP_INSTALL"),
        ("OBJECT", "CREATE"),
        ("OBJECT", "UPDATE"),
        ("OBJECT", "DELETE"),
    ]
    assert {e["portalId"] for e in events} == {OTHER_PORTAL}
    assert {e["objectId"] for e in events[1:]} == {int(task_id)}
    assert (events[2]["propertyName"], events[2]["propertyValue"]) == (
        "hs_task_status",
        "COMPLETED",
    )
    mine = journal_client(sim).batch.get_earliest(100, install_portal_id=PORTAL_ID)
    assert [e["portalId"] for e in events_of(mine.results)] == [PORTAL_ID]


def test_entries_page_by_offset_until_nothing_follows(sim: Running) -> None:
    other_account_with_a_task_history(sim)
    token = {"Authorization": f"Bearer {app_token(sim.url)}"}
    query = {"installPortalId": OTHER_PORTAL}

    def get(path: str) -> requests.Response:
        return requests.get(f"{sim.url}{LOCAL}{path}", headers=token, params=query, timeout=5)

    offsets = [get("/earliest").json()["currentOffset"]]
    while (answer := get(f"/offset/{offsets[-1]}/next")).status_code == 200:
        offsets.append(answer.json()["currentOffset"])

    assert answer.status_code == 204
    assert len(offsets) == 4
    assert get("/latest").json()["currentOffset"] == offsets[-1]
    rest = journal_client(sim).batch.get_from_offset(2, offset=offsets[0])
    assert [entry.current_offset for entry in rest.results] == offsets[1:3]
    assert get("/offset/not-an-offset/next").status_code == 404


def test_batch_read_reports_unknown_offsets(sim: Running) -> None:
    other_account_with_a_task_history(sim)
    journal = journal_client(sim)
    known = journal.batch.get_earliest(1, install_portal_id=OTHER_PORTAL).results[0]

    answer = journal.batch.with_raw_response.get(
        inputs=[known.current_offset, "gone"], install_portal_id=OTHER_PORTAL
    )

    assert answer.status_code == 207
    body = answer.json()
    assert [r["currentOffset"] for r in body["results"]] == [known.current_offset]
    assert body["numErrors"] == 1
    assert body["errors"][0]["context"] == {"offset": ["gone"]}


def test_an_uninstall_reaches_the_app_through_the_journal(sim: Running) -> None:
    other_account_with_a_task_history(sim)
    sim.admin.post(f"/accounts/{OTHER_PORTAL}/uninstall")
    token = {"Authorization": f"Bearer {app_token(sim.url)}"}

    latest = requests.get(
        f"{sim.url}{LOCAL}/latest",
        headers=token,
        params={"installPortalId": OTHER_PORTAL},
        timeout=5,
    ).json()

    event = requests.get(latest["url"], timeout=5).json()
    assert (event["subscriptionType"], event["action"]) == ("APP_LIFECYCLE_EVENT", "APP_UNINSTALL")
    assert event["portalId"] == OTHER_PORTAL


def test_only_the_apps_token_with_the_journal_scope_reads_the_journal(sim: Running) -> None:
    account_token = install(sim.url)["access_token"]
    url = f"{sim.url}{LOCAL}/earliest"

    def status(headers: dict[str, str]) -> int:
        return requests.get(url, headers=headers, timeout=5).status_code

    assert status({}) == 401
    assert status(AUTH) == 401  # the static token is no OAuth token
    assert status({"Authorization": f"Bearer {account_token}"}) == 403
    assert status({"Authorization": f"Bearer {app_token(sim.url, scope='oauth')}"}) == 403
    assert status({"Authorization": f"Bearer {app_token(sim.url)}"}) == 200
    client = hubspot_client(sim.url, app_token(sim.url))
    assert api_error(client.crm.objects.tasks.list)[0] == 401  # no account's data


def test_injected_5xx_answers_fail_the_journal_as_they_fail_the_crm_apis(sim: Running) -> None:
    token = {"Authorization": f"Bearer {app_token(sim.url)}"}
    sim.admin.post("/faults", {"error_rate": 1.0})

    answer = requests.get(f"{sim.url}{LOCAL}/batch/earliest/10", headers=token, timeout=5)

    assert answer.status_code in (500, 502, 503)
    assert sim.admin.get("/stats")["injected_errors"]["total"] == 1


def test_entries_are_kept_three_days() -> None:
    now = [1_000_000.0]
    journal = Journal(clock=lambda: now[0])
    event = {"subscriptionType": "APP_LIFECYCLE_EVENT", "portalId": 1, "action": "APP_INSTALL"}
    journal.record([event])

    now[0] += RETENTION_SECONDS - 1
    assert len(journal.entries(1)) == 1
    now[0] += 2
    assert journal.entries(1) == []
