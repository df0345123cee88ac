"""Rep → HubSpot owner, against the simulator's Owners API, real Redis and Postgres."""

import uuid

import psycopg
import pytest
import redis

from shared.account_keys import AccountCache
from shared.auth.owners import OwnerDirectory, OwnerResolver, UnknownUser
from shared.auth.tokens import Rep
from shared.hubspot.client import build_client
from shared.settings import get_settings
from shared.store.postgres import PostgresStore
from tests.conftest import PORTAL_ID


@pytest.fixture
def resolver(database_url, redis_url, simulator):
    store = PostgresStore(database_url)
    hubspot = build_client(get_settings())
    yield OwnerResolver(store, hubspot, redis.Redis.from_url(redis_url))
    store.close()


def known_user(database_url: str, email: str) -> uuid.UUID:
    with psycopg.connect(database_url) as conn:
        query = "insert into auth.users (email) values (%s) returning id"
        return conn.execute(query, (email,)).fetchone()[0]


def test_the_owner_is_found_by_email_once_then_cached(resolver, database_url):
    rep = Rep(
        known_user(database_url, "maria.chen@brightlane.example"), "Maria.Chen@brightlane.example"
    )

    assert resolver.owner_for(rep) == "71000001"
    assert resolver.owner_for(rep) == "71000001"
    assert resolver.hubspot.calls["owners"] == 1


def test_an_unknown_email_is_cached_as_no_owner(resolver, database_url):
    rep = Rep(known_user(database_url, "nobody@example.com"), "nobody@example.com")

    assert resolver.owner_for(rep) is None
    assert resolver.owner_for(rep) is None
    assert resolver.hubspot.calls["owners"] == 1


def test_a_mapping_row_wins_over_the_email(resolver, database_url):
    with psycopg.connect(database_url) as conn:
        user = known_user(database_url, "x@example.com")
        conn.execute("insert into rep_owners values (%s, '71000003')", (user,))

    assert resolver.owner_for(Rep(user, "maria.chen@brightlane.example")) == "71000003"
    assert resolver.hubspot.calls["owners"] == 0


def test_a_user_the_project_does_not_have_is_unknown(resolver):
    with pytest.raises(UnknownUser):
        resolver.owner_for(Rep(uuid.uuid4(), "maria.chen@brightlane.example"))
    assert resolver.hubspot.calls["owners"] == 0


def test_owner_emails_read_the_owner_list_once_for_every_owner(redis_url, simulator):
    hubspot = build_client(get_settings())
    emails = OwnerDirectory(hubspot, AccountCache(redis.Redis.from_url(redis_url), PORTAL_ID))

    assert emails.email_of("71000001") == "maria.chen@brightlane.example"
    assert emails.email_of("71000002") == "james.okafor@brightlane.example"
    assert emails.email_of("99999999") is None
    assert emails.email_of(None) is None
    assert hubspot.calls["owners"] == 1
