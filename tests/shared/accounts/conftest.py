"""The real database and Redis the accounts' tests keep tokens and offsets in."""

from __future__ import annotations

import pytest
import redis

from shared.store import PostgresStore


@pytest.fixture
def store(database_url):
    store = PostgresStore(database_url)
    yield store
    store.close()


@pytest.fixture
def redis_client(redis_url):
    return redis.Redis.from_url(redis_url)
