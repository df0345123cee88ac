"""Per-account events: webhooks carry their account's portalId, signed with the app's secret;
uninstalling the app from an account stops its tokens; a contact's privacy deletion."""

from __future__ import annotations

from typing import Any

import requests
from hubspot.utils.signature import Signature

from tests.devstack.hubspot_simulator.support import (
    CLIENT_SECRET,
    PORTAL_ID,
    Receiver,
    Running,
    api_error,
    hubspot_client,
    install,
    token_request,
)

OTHER_PORTAL = 7_000_001
TASK = {"hs_timestamp": "2025-03-03T15:00:00Z", "hs_task_subject": "Call back"}


DANA_AND_HER_NOTE = {
    "contacts": [{"key": "dana", "properties": {"email": "dana@example.com"}}],
    "activities": [{"type": "notes", "properties": {"hs_timestamp": "now"}, "contacts": ["dana"]}],
}


def other_account(sim: Running) -> dict[str, Any]:
    """A second account with the app installed; its tokens."""
    sim.admin.post("/accounts", {"portalId": OTHER_PORTAL}, expect=201)
    return install(sim.url, portalId=OTHER_PORTAL)


def test_each_accounts_events_carry_its_portal_id_and_the_apps_signature(
    hooked: Running, receiver: Receiver
) -> None:
    other = hubspot_client(hooked.url, other_account(hooked)["access_token"])
    mine = hooked.client.crm.objects.tasks.create(properties=TASK, associations=[]).id
    theirs = other.crm.objects.tasks.create(properties=TASK, associations=[]).id
    hooked.admin.flush()

    portals = {event["objectId"]: event["portalId"] for event in receiver.events()}
    assert portals == {int(mine): PORTAL_ID, int(theirs): OTHER_PORTAL}
    for post in receiver.received:
        signature = post.headers["X-Hubspot-Signature-V3"]
        timestamp = post.headers["X-Hubspot-Request-Timestamp"]
        assert Signature.is_valid(
            signature, CLIENT_SECRET, post.body, post.url, "POST", "v3", timestamp
        )


def test_uninstalling_stops_the_accounts_tokens_until_it_is_installed_again(
    hooked: Running, receiver: Receiver
) -> None:
    tokens = other_account(hooked)
    other = hubspot_client(hooked.url, tokens["access_token"])
    task_id = other.crm.objects.tasks.create(properties=TASK, associations=[]).id
    hooked.admin.flush()
    delivered = len(receiver.received)

    hooked.admin.post(f"/accounts/{OTHER_PORTAL}/uninstall")

    status, error = api_error(other.crm.objects.tasks.get, task_id)
    assert (status, error["category"]) == (401, "INVALID_AUTHENTICATION")
    refresh = token_request(
        hooked.url, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    )
    assert (refresh.status_code, refresh.json()["status"]) == (400, "BAD_REFRESH_TOKEN")
    info = requests.get(f"{hooked.url}/oauth/v1/access-tokens/{tokens['access_token']}", timeout=5)
    assert info.status_code == 404
    assert hooked.client.crm.objects.tasks.list().results == []  # the default account works
    hooked.admin.flush()
    assert len(receiver.received) == delivered  # lifecycle events go to the journal only
    again = hubspot_client(hooked.url, install(hooked.url, portalId=OTHER_PORTAL)["access_token"])
    assert again.crm.objects.tasks.get(task_id).id == task_id  # the account kept its data


def test_uninstalling_from_the_default_account_stops_the_static_token(sim: Running) -> None:
    sim.admin.post(f"/accounts/{PORTAL_ID}/uninstall")

    assert api_error(sim.client.crm.objects.tasks.list)[0] == 401
    accounts = {a["portalId"]: a["installed"] for a in sim.admin.get("/accounts")["results"]}
    assert accounts == {PORTAL_ID: False}


def test_a_privacy_deletion_removes_the_contact_for_good_and_sends_its_event(
    hooked: Running, receiver: Receiver
) -> None:
    other_account(hooked)
    loaded = hooked.admin.post(f"/fixtures?portalId={OTHER_PORTAL}", DANA_AND_HER_NOTE, expect=201)
    contact_id = loaded["keys"]["dana"]
    deletion = f"{hooked.admin.url}/objects/contacts/{contact_id}/privacy-deletion"

    assert requests.post(deletion, timeout=5).status_code == 404  # not the default's contact
    assert requests.post(f"{deletion}?portalId={OTHER_PORTAL}", timeout=5).status_code == 204
    hooked.admin.flush()

    [event] = receiver.events()
    assert event["subscriptionType"] == "contact.privacyDeletion"
    assert (event["objectId"], event["portalId"]) == (int(contact_id), OTHER_PORTAL)
    assert {"eventId", "subscriptionId", "appId", "occurredAt", "attemptNumber"} <= set(event)
    assert requests.post(f"{deletion}?portalId={OTHER_PORTAL}", timeout=5).status_code == 404


def test_a_privacy_deleted_contact_is_neither_readable_nor_associated(sim: Running) -> None:
    contact_id = sim.admin.post("/fixtures", DANA_AND_HER_NOTE, expect=201)["keys"]["dana"]
    deletion = f"{sim.admin.url}/objects/contacts/{contact_id}/privacy-deletion"
    assert requests.post(deletion, timeout=5).status_code == 204

    assert api_error(sim.client.crm.objects.contacts.get, contact_id, archived=True)[0] == 404
    [note] = sim.client.crm.objects.notes.list(associations=["contacts"]).results
    assert not note.associations
