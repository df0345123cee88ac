"""Access tokens of OAuth installs, against the HubSpot simulator's OAuth endpoints and the
real database and Redis: installed, refreshed ahead of expiry exactly once across 32
threads, and a refused refresh disconnects the account for good."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from shared.accounts.cipher import TokenCipher, TokenKeyError, rotate_stored_tokens
from shared.accounts.oauth import HubSpotOAuth, OAuthRefused
from shared.accounts.states import lost_accounts
from shared.accounts.tokens import AccountTokens
from shared.hubspot.errors import AccountUnavailable
from shared.metrics import COUNTERS, Metrics

CLIENT_ID = "hubspot-simulator-client-id"  # the simulator's default app
SECRET = "test-client-secret-5f1c"  # the suite's HUBSPOT_CLIENT_SECRET
REDIRECT = "http://127.0.0.1:8000/oauth/hubspot/callback"
PORTAL = 62515  # the suite simulator's default account
TOKEN_ROUTE = "POST /oauth/2026-03/token"


def keeper(
    simulator, store, redis_client, refresh_ahead=timedelta(minutes=5), keys=None
) -> AccountTokens:
    oauth = HubSpotOAuth(simulator.url, CLIENT_ID, SECRET, timeout=10)
    cipher = TokenCipher(keys or [TokenCipher.new_key()])
    metrics = Metrics(redis_client)
    return AccountTokens(store, cipher, oauth, redis_client, metrics, refresh_ahead)


def installed(simulator, tokens: AccountTokens, portal: int = PORTAL) -> str:
    """The app installed in the account through the simulator's OAuth flow; its access token."""
    query = {"client_id": CLIENT_ID, "scope": "oauth", "redirect_uri": REDIRECT, "portalId": portal}
    answer = requests.get(
        f"{simulator.url}/oauth/authorize", params=query, timeout=10, allow_redirects=False
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    grant = tokens.oauth.exchange_code(code, REDIRECT)
    tokens.install(grant, tokens.oauth.account_of(grant.access_token))
    return grant.access_token


def token_calls(simulator) -> int:
    routes = requests.get(f"{simulator.url}/_admin/stats", timeout=10).json()["requests"]
    return routes["by_route"].get(TOKEN_ROUTE, {}).get("total", 0)


def reads_tasks(simulator, token: str) -> bool:
    answer = requests.get(
        f"{simulator.url}/crm/objects/2026-03/tasks",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return answer.status_code == 200


def test_an_install_stores_the_accounts_tokens_encrypted(simulator, store, redis_client):
    tokens = keeper(simulator, store, redis_client)

    access = installed(simulator, tokens)

    account = store.account(PORTAL)
    assert account is not None and account.status == "connected"
    assert access not in (account.access_token_enc or "")
    assert tokens.access_token(PORTAL) == access
    assert reads_tasks(simulator, tokens.access_token(PORTAL))


def test_a_token_near_expiry_is_refreshed_once_for_32_threads(start_simulator, store, redis_client):
    # Tokens live 12 s and are refreshed 8 s ahead: after 4.5 s the first is due, and the
    # new one stays fresh for 4 s, time enough for the threads waiting on the lock to see it.
    simulator = start_simulator(access_token_lifetime_seconds=12.0)
    tokens = keeper(simulator, store, redis_client, refresh_ahead=timedelta(seconds=8))
    first = installed(simulator, tokens)
    exchanges = token_calls(simulator)
    time.sleep(4.5)

    seen, errors = [], []
    barrier = threading.Barrier(32)

    def work() -> None:
        barrier.wait()
        try:
            seen.append(tokens.access_token(PORTAL))
        except Exception as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert token_calls(simulator) - exchanges == 1
    assert len(set(seen)) == 1 and seen[0] != first
    assert reads_tasks(simulator, seen[0])


def test_a_refused_refresh_disconnects_the_account_and_nothing_is_asked_after(
    start_simulator, store, redis_client
):
    simulator = start_simulator(access_token_lifetime_seconds=3.0)
    tokens = keeper(simulator, store, redis_client, refresh_ahead=timedelta(seconds=5))
    installed(simulator, tokens)
    refresh_token = tokens.cipher.decrypt(store.account(PORTAL).refresh_token_enc)
    requests.post(
        f"{simulator.url}/_admin/oauth/revoke", json={"refreshToken": refresh_token}, timeout=10
    )

    with pytest.raises(AccountUnavailable, match="disconnected"):
        tokens.access_token(PORTAL)
    calls = token_calls(simulator)
    with pytest.raises(AccountUnavailable, match="disconnected"):
        tokens.access_token(PORTAL)

    account = store.account(PORTAL)
    assert account.status == "disconnected" and "BAD_REFRESH_TOKEN" in account.status_reason
    assert account.access_token_enc is None and account.refresh_token_enc is None
    assert token_calls(simulator) == calls  # a lost account is not asked again
    assert lost_accounts(redis_client) == {PORTAL: "disconnected"}
    assert b"hubspot_accounts_lost_total" in b"".join(redis_client.hkeys(COUNTERS))


def test_an_account_never_installed_is_unavailable(simulator, store, redis_client):
    with pytest.raises(AccountUnavailable, match="not installed"):
        keeper(simulator, store, redis_client).access_token(7_000_001)


def test_installing_again_reconnects_a_disconnected_account(simulator, store, redis_client):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    tokens.disconnect(PORTAL, "disconnected", "BAD_REFRESH_TOKEN: revoked")

    access = installed(simulator, tokens)

    assert tokens.access_token(PORTAL) == access
    assert lost_accounts(redis_client) == {}


def test_a_used_code_is_refused(simulator, store, redis_client):
    tokens = keeper(simulator, store, redis_client)
    query = {"client_id": CLIENT_ID, "scope": "oauth", "redirect_uri": REDIRECT}
    answer = requests.get(
        f"{simulator.url}/oauth/authorize", params=query, timeout=10, allow_redirects=False
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    tokens.oauth.exchange_code(code, REDIRECT)

    with pytest.raises(OAuthRefused, match="BAD_AUTH_CODE"):
        tokens.oauth.exchange_code(code, REDIRECT)


def test_rotating_the_key_keeps_every_account_connected(simulator, store, redis_client):
    old_key, new_key = TokenCipher.new_key(), TokenCipher.new_key()
    before = keeper(simulator, store, redis_client, keys=[old_key])
    access = installed(simulator, before)
    before.access_token(PORTAL)  # cached in Redis under the old key

    rotated = rotate_stored_tokens(store, TokenCipher([new_key, old_key]))
    after = keeper(simulator, store, redis_client, keys=[new_key])  # the old key dropped

    assert rotated == 1
    assert after.access_token(PORTAL) == access
    with pytest.raises(TokenKeyError):
        TokenCipher([old_key]).decrypt(store.account(PORTAL).refresh_token_enc)
