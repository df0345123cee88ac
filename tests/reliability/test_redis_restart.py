"""Redis restarted during a burst: the receiver answers 503 meanwhile, everything it
acknowledged is processed, and reconciliation picks up what HubSpot gave up delivering."""

import threading
import time
from collections import Counter

import pytest
import requests
from werkzeug.serving import make_server

from devstack.processes import celery_worker_answers, free_port, wait_until
from devstack.redis import EmbeddedRedis
from shared.cli import main
from shared.hubspot.models import KINDS
from shared.settings import get_settings
from tests.reliability.conftest import activity_items, post_activities, run_rows
from tests.workers.conftest import AppOnFirstRequest

pytestmark = pytest.mark.slow
WAVE = 20


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """A Redis of this test's own, persisted to an append-only file, to stop and start."""
    server = EmbeddedRedis(tmp_path / "redis", free_port(), append_only=True)
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url())
    get_settings.cache_clear()
    yield server
    server.stop()


@pytest.fixture
def receiver(own_redis, monkeypatch):
    server = make_server("127.0.0.1", 0, AppOnFirstRequest(), threaded=True)
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks/hubspot"
    server.shutdown()


def portal_activities(simulator_url: str) -> int:
    headers = {"Authorization": f"Bearer {get_settings().hubspot_access_token.get_secret_value()}"}
    return sum(
        len(
            requests.get(
                f"{simulator_url}/crm/objects/2026-03/{kind.object_type}",
                params={"limit": 100},
                headers=headers,
                timeout=10,
            ).json()["results"]
        )
        for kind in KINDS
    )


def completed(database_url: str) -> int:
    return sum(1 for row in run_rows(database_url) if row[2] == "completed")


def test_nothing_is_lost_when_redis_restarts_mid_burst(
    own_redis, receiver, database_url, start_simulator, start_worker
):
    simulator = start_simulator(
        webhook_target_url=receiver,
        webhook_max_attempts=3,
        webhook_retry_delay_seconds=0.2,
        webhook_retry_max_delay_seconds=0.4,
    )
    worker = start_worker()
    wait_until(lambda: celery_worker_answers(own_redis.url(), "test0"), 60, "worker", worker)
    items = activity_items(simulator.url, 3 * WAVE)
    already_there = portal_activities(simulator.url)  # the demo portal's, never webhooked
    started = time.monotonic()

    post_activities(simulator.url, items[:WAVE])
    wait_until(lambda: completed(database_url) >= WAVE, 60, "the first wave")
    own_redis.stop()
    post_activities(simulator.url, items[WAVE : 2 * WAVE])  # delivered into the outage
    requests.post(f"{simulator.url}/_admin/webhooks/flush", json={"timeoutSeconds": 20}, timeout=30)
    own_redis.start()
    post_activities(simulator.url, items[2 * WAVE :])
    wait_until(lambda: completed(database_url) >= 2 * WAVE, 90, "the waves Redis saw")
    before_sweep = completed(database_url)

    assert main(["reconcile", "--since", "1h"]) == 0
    everything = 3 * WAVE + already_there
    wait_until(lambda: completed(database_url) >= everything, 90, "reconciliation's work")

    deliveries = requests.get(f"{simulator.url}/_admin/stats", timeout=10).json()["webhooks"]
    statuses = Counter(str(d.get("status")) for d in deliveries["deliveries"])
    rows = run_rows(database_url)
    print(
        f"\nredis restart: {len(items)} activities; deliveries by status {dict(statuses)}; "
        f"gave up {deliveries['gave_up']}; completed before the sweep {before_sweep}, "
        f"after {completed(database_url)}; {time.monotonic() - started:.1f}s"
    )
    assert statuses["503"] > 0, statuses  # the receiver refused while Redis was down
    assert set(statuses) <= {"200", "503"}, statuses  # and never answered anything else
    assert len(rows) == len({(r[0], r[1]) for r in rows}) == everything
    assert all(r[2] == "completed" and r[3] >= 2 for r in rows)
