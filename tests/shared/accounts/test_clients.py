"""Each account's HubSpot client: with static auth only the token's account is served; with
OAuth every install has its own token, daily cap and burst budget, and reaches only its own
account (the simulator counts requests by token and any that named another account's data)."""

from __future__ import annotations

import pytest
import requests

from shared.accounts.clients import AccountClients
from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import build_client
from shared.hubspot.daily_cap import DailyCap, DailyCapReached
from shared.hubspot.errors import AccountUnavailable
from shared.settings import get_settings
from tests.shared.accounts.test_tokens import PORTAL, installed, keeper

OTHER = 7_000_001


@pytest.fixture
def hubspot(simulator, redis_client):
    return build_client(get_settings(), redis_client)


def clients_for(simulator, redis_client, hubspot, tokens=None) -> AccountClients:
    directory = AccountDirectory(redis_client, hubspot)
    return AccountClients(get_settings(), redis_client, hubspot, directory, tokens)


def test_static_auth_serves_the_tokens_account_and_no_other(simulator, redis_client, hubspot):
    clients = clients_for(simulator, redis_client, hubspot)

    assert clients.for_account(PORTAL) is hubspot
    with pytest.raises(AccountUnavailable, match="acts for account 62515 only"):
        clients.for_account(OTHER)


def test_each_oauth_install_is_reached_with_its_own_token(simulator, store, redis_client, hubspot):
    requests.post(f"{simulator.url}/_admin/accounts", json={"portalId": OTHER}, timeout=10)
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens, PORTAL)
    installed(simulator, tokens, OTHER)
    clients = clients_for(simulator, redis_client, hubspot, tokens)

    first = clients.for_account(PORTAL).request("account_details")
    other = clients.for_account(OTHER).request("account_details")

    assert (first["portalId"], other["portalId"]) == (PORTAL, OTHER)
    assert clients.for_account(OTHER) is clients.for_account(OTHER)  # one client per account
    stats = requests.get(f"{simulator.url}/_admin/stats", timeout=10).json()
    assert stats["cross_account_requests"] == 0
    assert stats["accounts"][str(OTHER)]["total"] == 1


def test_an_accounts_daily_cap_stops_only_that_account(simulator, store, redis_client, hubspot):
    requests.post(f"{simulator.url}/_admin/accounts", json={"portalId": OTHER}, timeout=10)
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens, PORTAL)
    installed(simulator, tokens, OTHER)
    clients = clients_for(simulator, redis_client, hubspot, tokens)

    DailyCap(redis_client, OTHER).reach()

    with pytest.raises(DailyCapReached):
        clients.for_account(OTHER).request("account_details")
    assert clients.for_account(PORTAL).request("account_details")["portalId"] == PORTAL
    assert clients.for_account(PORTAL).limiter.key != clients.for_account(OTHER).limiter.key


def test_a_lost_or_unknown_oauth_account_is_not_served(simulator, store, redis_client, hubspot):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens, PORTAL)
    tokens.disconnect(PORTAL, "disconnected", "BAD_REFRESH_TOKEN: revoked")
    clients = clients_for(simulator, redis_client, hubspot, tokens)

    with pytest.raises(AccountUnavailable, match="disconnected"):
        clients.check_served(PORTAL)
    with pytest.raises(AccountUnavailable, match="not installed"):
        clients.check_served(OTHER)
