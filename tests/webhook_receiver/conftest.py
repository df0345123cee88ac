import base64
import json

import pytest
import redis

from shared.queues import ACTIVITIES_QUEUE
from shared.settings import get_settings
from webhook_receiver import create_app

PUBLIC_BASE = "https://hooks.example.com"
SECRET = "test-client-secret-5f1c"  # the suite's HUBSPOT_CLIENT_SECRET


@pytest.fixture
def app(redis_url, monkeypatch):
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    get_settings.cache_clear()
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def broker(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def queued_events(broker: redis.Redis) -> list[list[dict]]:
    """The events of each ingest message waiting on the activities queue, oldest first."""
    messages = [json.loads(raw) for raw in reversed(broker.lrange(ACTIVITIES_QUEUE, 0, -1))]
    bodies = [json.loads(base64.b64decode(message["body"])) for message in messages]
    assert all(message["headers"]["task"] == "workers.ingest_events" for message in messages)
    return [args[0] for args, _kwargs, _embed in bodies]
