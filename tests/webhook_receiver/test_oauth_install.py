"""Installing the app in a HubSpot account with OAuth: the install link, HubSpot's redirect
back (answered by the simulator's authorise endpoint), the code exchanged and the account's
tokens stored; and every way a callback can be wrong."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from shared.accounts.cipher import TokenCipher
from shared.settings import get_settings
from shared.store import PostgresStore
from webhook_receiver import create_app

PUBLIC_BASE = "https://ai.example.org"
CLIENT_ID = "hubspot-simulator-client-id"  # the simulator's default app
PORTAL = 62515  # the suite simulator's default account


@pytest.fixture
def oauth_app(simulator, database_url, redis_url, monkeypatch):
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", TokenCipher.new_key())
    monkeypatch.setenv("HUBSPOT_AUTHORIZE_URL", f"{simulator.url}/oauth/authorize")
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    get_settings.cache_clear()
    return create_app()


@pytest.fixture
def client(oauth_app):
    return oauth_app.test_client()


def start_install(client):
    """The install link's answer and where HubSpot (the simulator) sends the browser back."""
    started = client.get("/oauth/hubspot/install")
    hubspot = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(hubspot.headers["Location"])
    return started, back


def test_the_install_link_sends_the_browser_to_hubspot_with_the_apps_scopes(client, simulator):
    started = client.get("/oauth/hubspot/install")

    assert started.status_code == 302
    target = urlsplit(started.headers["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{simulator.url}/oauth/authorize"
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [f"{PUBLIC_BASE}/oauth/hubspot/callback"]
    assert "crm.objects.contacts.read" in query["scope"][0].split()
    cookie = started.headers["Set-Cookie"]
    assert f"hubspot_install_state={query['state'][0]}" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_hubspots_redirect_back_stores_the_accounts_tokens(client, database_url):
    _, back = start_install(client)

    answer = client.get(f"{back.path}?{back.query}")

    assert answer.status_code == 200, answer.text
    assert f"installed in HubSpot account {PORTAL}" in answer.text
    store = PostgresStore(database_url)
    account = store.account(PORTAL)
    store.close()
    assert account is not None and account.status == "connected"
    assert account.access_token_enc and account.refresh_token_enc


def test_a_callback_from_another_browser_is_refused(oauth_app):
    _, back = start_install(oauth_app.test_client())  # started in one browser...

    answer = oauth_app.test_client().get(f"{back.path}?{back.query}")  # ...ended in another

    assert answer.status_code == 400
    assert answer.json["error"] == "state_mismatch"


def test_a_state_is_used_once(client):
    _, back = start_install(client)
    assert client.get(f"{back.path}?{back.query}").status_code == 200
    state = parse_qs(back.query)["state"][0]
    client.set_cookie("hubspot_install_state", state, path="/oauth/hubspot/callback")

    replayed = client.get(f"{back.path}?{back.query}")

    assert replayed.status_code == 400
    assert replayed.json["error"] == "state_used"


def test_a_declined_install_says_what_hubspot_said(client):
    answer = client.get(
        "/oauth/hubspot/callback?error=access_denied&error_description=User+said+no"
    )

    assert answer.status_code == 400
    assert answer.json["message"] == "HubSpot did not install the app: User said no"


def test_a_callback_without_a_code_is_refused(client):
    assert client.get("/oauth/hubspot/callback?state=abc").json["error"] == "invalid_callback"


def test_a_service_for_one_account_has_no_install(redis_url, monkeypatch):
    monkeypatch.setenv("HUBSPOT_AUTH", "static")
    get_settings.cache_clear()

    answer = create_app().test_client().get("/oauth/hubspot/install")

    assert answer.status_code == 404
    assert "HUBSPOT_AUTH=static" in answer.json["message"]
