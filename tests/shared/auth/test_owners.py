"""Rep → HubSpot account and owner, against the simulator's Owners API (one account with the
static token, several with OAuth), real Redis and Postgres."""

import uuid

import psycopg
import pytest
import redis
import requests

from shared.account_keys import AccountCache
from shared.accounts.clients import AccountClients
from shared.auth.owners import OwnerDirectory, OwnerInSeveralAccounts, OwnerResolver, UnknownUser
from shared.auth.tokens import Rep
from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import build_client
from shared.settings import get_settings
from shared.store.postgres import PostgresStore
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID
from tests.shared.accounts.test_tokens import installed, keeper
from tests.shared.store.review_contract import map_by_hand

MARIA = "maria.chen@brightlane.example"
MARIAS_OWNER = "71000001"  # in the demo portal
OTHER = 7_000_001  # a second account, whose owner 71000001 is someone else


@pytest.fixture
def store(database_url):
    store = PostgresStore(database_url)
    yield store
    store.close()


@pytest.fixture
def cache(redis_url):
    return redis.Redis.from_url(redis_url)


def resolver_for(store, cache, tokens=None) -> OwnerResolver:
    """Static auth without ``tokens``; OAuth with them."""
    hubspot = build_client(get_settings(), cache)
    directory = AccountDirectory(cache, hubspot)
    clients = AccountClients(get_settings(), cache, hubspot, directory, tokens)
    return OwnerResolver(store, clients, cache)


@pytest.fixture
def resolver(store, cache, simulator):
    return resolver_for(store, cache)


def owner_calls(simulator) -> int:
    stats = requests.get(f"{simulator.url}/_admin/stats?deliveries=false", timeout=10).json()
    routes = stats["requests"]["by_route"]
    return sum(entry["total"] for route, entry in routes.items() if "/crm/owners/" in route)


def known_user(database_url: str, email: str) -> uuid.UUID:
    with psycopg.connect(database_url) as conn:
        query = "insert into auth.users (email) values (%s) returning id"
        return conn.execute(query, (email,)).fetchone()[0]


def test_the_owner_is_found_by_email_once_then_cached(resolver, database_url, simulator, cache):
    rep = Rep(known_user(database_url, MARIA), "Maria.Chen@brightlane.example")

    assert resolver.owner_for(rep) == RepOwner(PORTAL_ID, MARIAS_OWNER)
    assert resolver.owner_for(rep) == RepOwner(PORTAL_ID, MARIAS_OWNER)
    assert owner_calls(simulator) == 1
    assert cache.get(f"owner-by-email:{PORTAL_ID}:{MARIA}") == MARIAS_OWNER.encode()


def test_an_unknown_email_is_cached_as_no_owner(resolver, database_url, simulator):
    rep = Rep(known_user(database_url, "nobody@example.com"), "nobody@example.com")

    assert resolver.owner_for(rep) is None
    assert resolver.owner_for(rep) is None
    assert owner_calls(simulator) == 1


def test_a_mapping_row_wins_over_the_email(resolver, database_url, simulator):
    user = known_user(database_url, "x@example.com")
    map_by_hand(database_url, user, RepOwner(PORTAL_ID, "71000003"))

    assert resolver.owner_for(Rep(user, MARIA)) == RepOwner(PORTAL_ID, "71000003")
    assert owner_calls(simulator) == 0


def test_a_user_the_project_does_not_have_is_unknown(resolver, simulator):
    with pytest.raises(UnknownUser):
        resolver.owner_for(Rep(uuid.uuid4(), MARIA))
    assert owner_calls(simulator) == 0


def test_a_signed_request_finds_the_rep_in_its_own_account_only(resolver, database_url):
    mapped = known_user(database_url, "x@example.com")
    map_by_hand(database_url, mapped, RepOwner(PORTAL_ID, "71000003"))
    maria = known_user(database_url, MARIA)

    assert resolver.owner_for(Rep(mapped, MARIA, portal_id=OTHER)) is None
    assert resolver.owner_for(Rep(mapped, MARIA, portal_id=PORTAL_ID)) == RepOwner(
        PORTAL_ID, "71000003"
    )
    assert resolver.user_for_hubspot_user(PORTAL_ID, MARIA) == maria


def test_owner_emails_read_the_owner_list_once_for_every_owner(redis_url, simulator):
    hubspot = build_client(get_settings())
    emails = OwnerDirectory(hubspot, AccountCache(redis.Redis.from_url(redis_url), PORTAL_ID))

    assert emails.email_of("71000001") == "maria.chen@brightlane.example"
    assert emails.email_of("71000002") == "james.okafor@brightlane.example"
    assert emails.email_of("99999999") is None
    assert emails.email_of(None) is None
    assert hubspot.calls["owners"] == 1


# -- OAuth: the rep's email is looked up in every connected account ---------------------------


@pytest.fixture
def two_accounts(simulator, store, cache):
    """The app installed through OAuth in the demo portal and in OTHER (no owners yet)."""
    requests.post(f"{simulator.url}/_admin/accounts", json={"portalId": OTHER}, timeout=10)
    tokens = keeper(simulator, store, cache)
    installed(simulator, tokens, PORTAL_ID)
    installed(simulator, tokens, OTHER)
    return tokens


def add_owner(simulator, portal_id: int, owner_id: str, email: str) -> None:
    owner = {"id": owner_id, "email": email, "firstName": "M", "lastName": "C", "userId": 1}
    answer = requests.post(
        f"{simulator.url}/_admin/fixtures?portalId={portal_id}",
        json={"owners": [owner]},
        timeout=10,
    )
    answer.raise_for_status()


def test_oauth_links_the_one_account_whose_owner_has_the_email(
    two_accounts, store, cache, database_url, simulator
):
    resolver = resolver_for(store, cache, two_accounts)
    maria = known_user(database_url, MARIA)

    assert resolver.owner_for(Rep(maria, MARIA)) == RepOwner(PORTAL_ID, MARIAS_OWNER)
    assert cache.get(f"owner-by-email:{OTHER}:{MARIA}") == b""  # asked there too: none
    assert owner_calls(simulator) == 2


def test_oauth_an_email_owning_in_two_accounts_must_be_mapped_by_hand(
    two_accounts, store, cache, database_url, simulator
):
    add_owner(simulator, OTHER, MARIAS_OWNER, MARIA)  # the same id, in another account
    resolver = resolver_for(store, cache, two_accounts)
    maria = known_user(database_url, MARIA)

    with pytest.raises(OwnerInSeveralAccounts) as raised:
        resolver.owner_for(Rep(maria, MARIA))

    assert raised.value.owners == [
        RepOwner(PORTAL_ID, MARIAS_OWNER),
        RepOwner(OTHER, MARIAS_OWNER),
    ]
    map_by_hand(database_url, maria, RepOwner(OTHER, MARIAS_OWNER))
    assert resolver.owner_for(Rep(maria, MARIA)) == RepOwner(OTHER, MARIAS_OWNER)
    # The card's signed requests look in their own account only.
    assert resolver.user_for_hubspot_user(OTHER, MARIA) == maria


def test_oauth_leaves_out_an_account_that_is_no_longer_connected(
    two_accounts, store, cache, database_url, simulator
):
    add_owner(simulator, OTHER, "81000001", MARIA)
    two_accounts.disconnect(PORTAL_ID, "disconnected", "BAD_REFRESH_TOKEN: revoked")
    resolver = resolver_for(store, cache, two_accounts)

    maria = Rep(known_user(database_url, MARIA), MARIA)

    assert resolver.owner_for(maria) == RepOwner(OTHER, "81000001")
