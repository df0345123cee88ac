"""Rep → HubSpot owner, against the simulator's Owners API, real Redis and Postgres."""

import uuid

import psycopg
import pytest
import redis

from shared.auth.owners import OwnerResolver
from shared.auth.tokens import Rep
from shared.hubspot.client import build_client
from shared.settings import get_settings
from shared.store.postgres import PostgresStore


@pytest.fixture
def resolver(database_url, redis_url, simulator):
    store = PostgresStore(database_url)
    hubspot = build_client(get_settings())
    yield OwnerResolver(store, hubspot, redis.Redis.from_url(redis_url))
    store.close()


def test_the_owner_is_found_by_email_once_then_cached(resolver):
    rep = Rep(uuid.uuid4(), "Maria.Chen@brightlane.example")

    assert resolver.owner_for(rep) == "71000001"
    assert resolver.owner_for(rep) == "71000001"
    assert resolver.hubspot.calls["owners"] == 1


def test_an_unknown_email_is_cached_as_no_owner(resolver):
    rep = Rep(uuid.uuid4(), "nobody@example.com")

    assert resolver.owner_for(rep) is None
    assert resolver.owner_for(rep) is None
    assert resolver.hubspot.calls["owners"] == 1


def test_a_mapping_row_wins_over_the_email(resolver, database_url):
    with psycopg.connect(database_url) as conn:
        user = conn.execute(
            "insert into auth.users (email) values ('x@example.com') returning id"
        ).fetchone()[0]
        conn.execute("insert into rep_owners values (%s, '71000003')", (user,))

    assert resolver.owner_for(Rep(user, "maria.chen@brightlane.example")) == "71000003"
    assert resolver.hubspot.calls["owners"] == 0
