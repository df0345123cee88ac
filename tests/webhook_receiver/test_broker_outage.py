"""A real embedded Redis stopped mid-test: the receiver answers 503 fast and loses nothing."""

import time

import pytest
import redis

from devstack.processes import free_port
from devstack.redis import EmbeddedRedis
from shared.settings import get_settings
from tests import webhook_signing as sign
from tests.webhook_receiver.conftest import PUBLIC_BASE, SECRET, queued_events
from webhook_receiver import create_app

URI = PUBLIC_BASE + "/webhooks/hubspot"


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    server = EmbeddedRedis(tmp_path / "redis", free_port(), append_only=True)
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url())
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    get_settings.cache_clear()
    yield server
    server.stop()


def deliver(client, body):
    started = time.monotonic()
    response = client.post(
        "/webhooks/hubspot", data=body, headers=sign.v3_headers(SECRET, URI, body)
    )
    return response, time.monotonic() - started


def test_redis_down_means_503_within_budget_and_the_retry_is_accepted(own_redis):
    client = create_app().test_client()
    body = sign.body_of([sign.activity_event(object_id=555)])
    assert client.get("/readyz").status_code == 200

    own_redis.stop()
    response, seconds = deliver(client, body)
    ready = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["error"] == "broker_unavailable"
    assert seconds < 5
    assert ready.status_code == 503
    assert client.get("/healthz").status_code == 200

    own_redis.start()
    retry, _ = deliver(client, body)

    assert retry.status_code == 200
    assert retry.json["accepted"] == 1
    broker = redis.Redis.from_url(own_redis.url())
    assert [[e["objectId"] for e in batch] for batch in queued_events(broker)] == [[555]]
