"""OAuth: authorising installs the app into an account, codes become expiring access tokens
and a refresh token, which can be revoked; token info names the token's account."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tests.devstack.hubspot_simulator.support import (
    CLIENT_ID,
    CLIENT_SECRET,
    PORTAL_ID,
    REDIRECT_URI,
    VERSION,
    Running,
    api_error,
    authorize,
    hubspot_client,
    install,
    token_request,
)

OTHER_PORTAL = 7_000_001


def redirected_to(answer: requests.Response) -> tuple[str, dict[str, list[str]]]:
    location = urlsplit(answer.headers["Location"])
    return f"{location.scheme}://{location.netloc}{location.path}", parse_qs(location.query)


def test_authorize_redirects_with_a_code_and_the_state(sim: Running) -> None:
    answer = authorize(sim.url, state="xyz-123")

    assert answer.status_code == 302
    target, query = redirected_to(answer)
    assert target == REDIRECT_URI
    assert query["state"] == ["xyz-123"] and query["code"][0]


def test_a_code_becomes_tokens_of_the_installing_account(sim: Running) -> None:
    sim.admin.post("/accounts", {"portalId": OTHER_PORTAL}, expect=201)
    sim.admin.post("/oauth/installing-account", {"portalId": OTHER_PORTAL})
    code = redirected_to(authorize(sim.url, scope="oauth crm.objects.contacts.read"))[1]["code"][0]

    tokens = token_request(
        sim.url, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI
    ).json()

    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 1800  # HubSpot's 30 minutes
    assert tokens["hub_id"] == OTHER_PORTAL
    assert tokens["scopes"] == ["oauth", "crm.objects.contacts.read"]
    assert tokens["refresh_token"] and tokens["access_token"]
    client = hubspot_client(sim.url, tokens["access_token"])
    assert client.account.get().portal_id == OTHER_PORTAL


def test_a_code_is_used_once_and_only_with_its_redirect_uri(sim: Running) -> None:
    code = redirected_to(authorize(sim.url))[1]["code"][0]
    misdirected = token_request(
        sim.url, grant_type="authorization_code", code=code, redirect_uri="https://evil.example"
    )
    code = redirected_to(authorize(sim.url))[1]["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    first, second = token_request(sim.url, **exchange), token_request(sim.url, **exchange)

    assert (misdirected.status_code, misdirected.json()["status"]) == (400, "BAD_REDIRECT_URI")
    assert first.status_code == 200
    assert (second.status_code, second.json()["status"]) == (400, "BAD_AUTH_CODE")


def test_the_token_endpoint_checks_the_apps_credentials(sim: Running) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": install(sim.url)["refresh_token"]}

    wrong_secret = token_request(sim.url, **form, client_secret="not-the-secret")
    wrong_client = token_request(sim.url, **form, client_id="someone-else")

    assert (wrong_secret.status_code, wrong_secret.json()["status"]) == (400, "BAD_CLIENT_SECRET")
    assert (wrong_client.status_code, wrong_client.json()["status"]) == (400, "BAD_CLIENT_ID")


def test_an_expired_access_token_gets_hubspots_401_and_a_refresh_brings_a_new_one(
    start_simulator: Any,
) -> None:
    # Long enough for the first call on a busy machine, short enough to wait out.
    sim = start_simulator(access_token_lifetime_seconds=2.0)
    tokens = install(sim.url)
    client = hubspot_client(sim.url, tokens["access_token"])
    client.crm.objects.tasks.list()
    time.sleep(2.1)

    status, error = api_error(client.crm.objects.tasks.list)
    refreshed = token_request(
        sim.url, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    ).json()

    assert status == 401
    assert error["category"] == "EXPIRED_AUTHENTICATION"
    assert error["message"] == "The OAuth token used to make this call expired 0 second(s) ago."
    assert error["context"]["expire time"][0].endswith("Z")
    assert refreshed["refresh_token"] == tokens["refresh_token"]  # HubSpot does not rotate it
    assert refreshed["access_token"] != tokens["access_token"]
    assert hubspot_client(sim.url, refreshed["access_token"]).crm.objects.tasks.list()


def test_admin_expires_an_accounts_tokens_now(sim: Running) -> None:
    sim.admin.post("/accounts", {"portalId": OTHER_PORTAL}, expect=201)
    mine = hubspot_client(sim.url, install(sim.url)["access_token"])
    others = hubspot_client(sim.url, install(sim.url, portalId=OTHER_PORTAL)["access_token"])

    assert sim.admin.post("/oauth/expire", {"portalId": OTHER_PORTAL}) == {"expired": 1}

    assert api_error(others.crm.objects.tasks.list)[0] == 401
    assert mine.crm.objects.tasks.list().results == []
    assert sim.client.crm.objects.tasks.list().results == []  # the static token never expires


def test_a_revoked_refresh_token_is_a_bad_refresh_token(sim: Running) -> None:
    refresh_token = install(sim.url)["refresh_token"]
    sim.admin.post("/oauth/revoke", {"refreshToken": refresh_token})

    answer = token_request(sim.url, grant_type="refresh_token", refresh_token=refresh_token)

    assert answer.status_code == 400
    assert answer.json()["status"] == "BAD_REFRESH_TOKEN"
    assert answer.json()["message"] == "missing or invalid refresh token"


def test_the_app_can_delete_its_refresh_token(sim: Running) -> None:
    refresh_token = install(sim.url)["refresh_token"]
    url = f"{sim.url}/oauth/v1/refresh-tokens/{refresh_token}"

    assert requests.delete(url, timeout=5).status_code == 204
    answer = token_request(sim.url, grant_type="refresh_token", refresh_token=refresh_token)
    assert answer.json()["status"] == "BAD_REFRESH_TOKEN"


def test_token_info_names_the_account_and_scopes(sim: Running) -> None:
    tokens = install(sim.url, scope="oauth", optional_scope="crm.objects.deals.read")
    url = f"{sim.url}/oauth/v1/access-tokens"

    info = requests.get(f"{url}/{tokens['access_token']}", timeout=5).json()

    assert info["hub_id"] == PORTAL_ID
    assert info["scopes"] == ["oauth", "crm.objects.deals.read"]
    assert 1790 < info["expires_in"] <= 1800
    assert (info["token"], info["token_type"]) == (tokens["access_token"], "access")
    assert requests.get(f"{url}/unknown-token", timeout=5).status_code == 404


def test_a_token_the_simulator_never_issued_is_not_authenticated(sim: Running) -> None:
    answer = requests.get(
        f"{sim.url}/crm/objects/{VERSION}/tasks",
        headers={"Authorization": "Bearer made-up"},
        timeout=5,
    )

    assert (answer.status_code, answer.json()["category"]) == (401, "INVALID_AUTHENTICATION")


def test_the_date_versioned_token_endpoints_answer_like_hubspots(sim: Running) -> None:
    code = redirected_to(authorize(sim.url))[1]["code"][0]
    credentials = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}

    tokens = requests.post(
        f"{sim.url}/oauth/2026-03/token", data={**form, **credentials}, timeout=10
    )
    introspect = f"{sim.url}/oauth/2026-03/token/introspect"
    live = requests.post(
        introspect, data={**credentials, "token": tokens.json()["access_token"]}, timeout=10
    )
    unknown = requests.post(introspect, data={**credentials, "token": "never-issued"}, timeout=10)
    stranger = requests.post(introspect, data={"token": "x", "client_id": "someone"}, timeout=10)

    assert tokens.status_code == 200 and tokens.json()["refresh_token"]
    assert live.json()["active"] is True and live.json()["hub_id"] == PORTAL_ID
    assert unknown.json() == {"active": False}
    assert stranger.status_code == 400
