"""Activities fetched with their context (history, open deal), against the simulator and a
real Redis: what the prompt gets, and what it costs in HubSpot calls, cold and warm."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis

from shared.account_keys import AccountCache
from shared.hubspot.client import HubSpotClient
from shared.hubspot.fetch import fetch_activities
from shared.hubspot.history import HistoryCache
from shared.hubspot.models import KIND_BY_NAME, KINDS
from shared.settings import get_settings
from tests.conftest import PORTAL_ID
from tests.devstack.hubspot_simulator.support import Admin

NOTE = KIND_BY_NAME["note"]


@pytest.fixture
def admin(simulator) -> Admin:
    return Admin(simulator.url)


@pytest.fixture
def client(simulator) -> HubSpotClient:
    token = get_settings().hubspot_access_token.get_secret_value()
    return HubSpotClient(token, simulator.url, timeout=5, backoff_initial=0.01, backoff_max=0.05)


@pytest.fixture
def cache(redis_url) -> AccountCache:
    return AccountCache(redis.Redis.from_url(redis_url, socket_timeout=5), PORTAL_ID)


@pytest.fixture
def portal(admin: Admin) -> dict[str, str]:
    """Two contacts at one company; Ada has a closed deal and an open one."""
    people = {
        "companies": [{"key": "acme", "properties": {"name": "Acme", "domain": "acme.example"}}],
        "contacts": [
            {"key": key, "companies": ["acme"], "properties": props}
            for key, props in (
                ("ada", {"firstname": "Ada", "lastname": "Byron", "email": "ada@acme.example"}),
                ("bo", {"firstname": "Bo", "lastname": "Reyes", "email": "bo@acme.example"}),
            )
        ],
        "deals": [
            _deal("won", "Acme pilot", "closedwon", "-4w", ["ada"]),
            _deal("later", "Acme phase 2", "qualifiedtobuy", "+9w", ["ada"]),
            _deal("rollout", "Acme rollout", "contractsent", "+3w", ["ada"]),
        ],
    }
    return admin.post("/fixtures", people, expect=201)["keys"]


def _deal(key: str, name: str, stage: str, closes: str, contacts: list[str]) -> dict[str, Any]:
    props = {"dealname": name, "dealstage": stage, "amount": "48000", "closedate": closes}
    return {"key": key, "properties": props, "contacts": contacts, "companies": ["acme"]}


def notes(admin: Admin, portal: dict[str, str], *when: str, **links: list[str]) -> list[str]:
    """Notes logged at the given times (relative, as in fixtures) for Ada, by default."""
    contacts = [portal[k] for k in links.get("contacts", ["ada"])]
    items = [
        {
            "type": "notes",
            "properties": {"hs_timestamp": at, "hs_note_body": f"<p>Note {i}: {'x' * 400}</p>"},
            "contacts": contacts,
            "companies": [portal["acme"]],
            "deals": [portal[k] for k in links.get("deals", [])],
        }
        for i, at in enumerate(when)
    ]
    return [str(r["id"]) for r in admin.post("/activities", {"activities": items})["results"]]


def requests_made(admin: Admin) -> int:
    return admin.get("/stats", deliveries="false")["requests"]["total"]


def test_a_note_comes_with_the_contacts_latest_activities_newest_first(
    client, cache, admin, portal
):
    older = notes(admin, portal, "-7d", "-6d", "-5d", "-4d", "-3d", "-2d")
    [latest] = notes(admin, portal, "now")

    activity = fetch_activities(client, NOTE, [latest], cache=cache)[latest]

    assert [item.id for item in activity.history] == older[::-1][:5]
    assert all(len(item.body) <= 300 and "<p>" not in item.body for item in activity.history)
    assert activity.history[0].body.startswith("Note 5: xxx")


def test_the_open_deal_closing_soonest_is_the_contacts_when_the_note_names_none(
    client, cache, admin, portal
):
    [note_id] = notes(admin, portal, "now")

    deal = fetch_activities(client, NOTE, [note_id], cache=cache)[note_id].open_deal

    assert deal is not None
    assert (deal.name, deal.stage, deal.amount, deal.closed) == (
        "Acme rollout",
        "contractsent",
        "48000",
        False,
    )
    assert deal.close_date is not None


def test_a_deal_the_note_names_comes_before_the_contacts(client, cache, admin, portal):
    [note_id] = notes(admin, portal, "now", deals=["later"])

    deal = fetch_activities(client, NOTE, [note_id], cache=cache)[note_id].open_deal

    assert deal is not None and deal.name == "Acme phase 2"


def test_closed_deals_are_not_open_deals(client, cache, admin, portal):
    [note_id] = notes(admin, portal, "now", deals=["won"])

    assert fetch_activities(client, NOTE, [note_id], cache=cache)[note_id].open_deal is None


def test_without_a_contact_the_history_is_the_companys(client, cache, admin, portal):
    [earlier] = notes(admin, portal, "-1d", contacts=["bo"])
    [note_id] = notes(admin, portal, "now", contacts=[])

    activity = fetch_activities(client, NOTE, [note_id], cache=cache)[note_id]

    assert activity.addressee_id is None
    assert earlier in [item.id for item in activity.history]


def test_a_lone_note_with_warm_caches_costs_two_calls(client, cache, admin, portal):
    [first] = notes(admin, portal, "-1d")
    fetch_activities(client, NOTE, [first], cache=cache)  # warms records, deals and history
    [second] = notes(admin, portal, "now")
    before = requests_made(admin)

    activity = fetch_activities(client, NOTE, [second], cache=cache)[second]

    # The note's GET and its deal ids (a new note's deals are not cached); the budget is 4.
    assert requests_made(admin) - before == 2
    assert first in [item.id for item in activity.history]  # written through, not re-read
    assert activity.open_deal is not None and activity.contacts[0].name == "Ada Byron"


def test_a_batch_with_warm_caches_costs_a_read_and_three_association_reads(
    client, cache, admin, portal
):
    ids = notes(admin, portal, *(f"-{n}h" for n in range(1, 13)))
    fetch_activities(client, NOTE, ids, cache=cache)
    client.calls.clear()

    fetched = fetch_activities(client, NOTE, ids, cache=cache)

    assert dict(client.calls) == {"batch_read": 1, "associations": 3}
    assert all(a.history and a.open_deal for a in fetched.values())


def test_without_the_deals_scope_the_note_still_comes_with_its_history(start_simulator, cache):
    simulator = start_simulator(ungranted_object_types=("deals",))
    token = get_settings().hubspot_access_token.get_secret_value()
    client = HubSpotClient(token, simulator.url, timeout=5, backoff_initial=0.01)
    admin = Admin(simulator.url)
    portal = admin.post("/fixtures", {"contacts": [{"key": "ada", "properties": {}}]})["keys"]
    items = [
        {"type": "notes", "properties": {"hs_timestamp": at, "hs_note_body": "Sent the SOW"}}
        | {"contacts": [portal["ada"]]}
        for at in ("-1d", "now")
    ]
    earlier, latest = (r["id"] for r in admin.post("/activities", items)["results"])

    activity = fetch_activities(client, NOTE, [latest], cache=cache)[latest]

    assert activity.open_deal is None
    assert [item.id for item in activity.history] == [earlier]
    assert client.calls["associations"] >= 1  # the deals were asked for, and refused


def test_write_through_adds_to_a_kept_history_and_never_starts_one(client, cache, admin, portal):
    history = HistoryCache(client, cache)
    ada = ("contacts", portal["ada"])
    [first] = notes(admin, portal, "-1d")
    history.write_through(fetch_activities(client, NOTE, [first]).values())  # no cache given
    assert cache.redis.keys(cache.key("history", "*")) == []

    assert [item.id for item in history.histories([ada])[ada]] == [first]
    [second] = notes(admin, portal, "now")
    history.write_through(fetch_activities(client, NOTE, [second]).values())
    client.calls.clear()

    assert [item.id for item in history.histories([ada])[ada]] == [second, first]
    assert not client.calls


def test_workers_asking_for_one_history_at_once_read_it_from_hubspot_once(
    simulator, cache, admin, portal
):
    notes(admin, portal, "-2d", "-1d")
    ada = ("contacts", portal["ada"])
    token = get_settings().hubspot_access_token.get_secret_value()
    clients = [HubSpotClient(token, simulator.url, timeout=5) for _ in range(4)]
    start = threading.Barrier(len(clients))

    def ask(client: HubSpotClient) -> list[str]:
        start.wait(timeout=5)
        return [item.id for item in HistoryCache(client, cache).histories([ada])[ada]]

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(ask, clients))

    assert len({tuple(answer) for answer in answers}) == 1 and len(answers[0]) == 2
    assert sum(client.calls["associations"] for client in clients) == len(KINDS)
