"""Valkey SIGKILLed and restarted ten times on the same data while webhooks keep arriving:
the one worker (threads pool, as in the Procfile) rides out every restart, and every
activity ends with exactly one completed run.

What each kill can hit, and what the test shows survives it: the receiver answers 503 and
the simulator delivers again; runs in flight finish, and their messages are acknowledged
once the worker has reconnected, so none is left to be delivered again after the visibility
timeout; a message BRPOP took just as the broker died goes back on its queue
(shared/broker.py); ingest and fetch steps that hit the outage run again once Redis answers
(shared/pipeline/outages.py); the worker's clean-up of the dead connection never stops it
(with kombu's own transport the worker exited in each of 3 runs of this test).
"""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
import requests
from werkzeug.serving import make_server

from devstack.processes import celery_worker_answers, free_port, wait_until
from devstack.redis import EmbeddedRedis
from shared.settings import get_settings
from tests.reliability.conftest import (
    activity_items,
    post_activities,
    run_rows,
    sorted_logs,
    wait_for_finished,
)
from tests.workers.conftest import AppOnFirstRequest, run_counts

pytestmark = pytest.mark.slow

RESTARTS = 10
ACTIVITIES = 160
WAVE = 2  # activities created together, so their webhooks often share a delivery
UP_SECONDS = (0.8, 1.6)  # how long Valkey runs before each kill
DOWN_SECONDS = (0.1, 0.8)  # how long it stays dead
CONCURRENCY = 32  # the Procfile's WORKER_CONCURRENCY
LLM_LATENCY_MS = "200"  # keeps runs in flight at every kill


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """A Valkey of this test's own, persisted to an append-only file, to kill and restart."""
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


def crash_and_restart(server: EmbeddedRedis, down_for: float) -> None:
    """SIGKILL, as a crash would: no shutdown, no final write; then start on the same data."""
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    time.sleep(down_for)
    server.start()


def answers_ping(redis_url: str) -> bool:
    """The worker answers a ping. This process's own pooled broker connections (kombu keeps
    them per URL) may still be the dead server's: a connection error means ask again."""
    try:
        return celery_worker_answers(redis_url, "test0")
    except redis.exceptions.ConnectionError:
        return False


def worker_log(folder: Path) -> str:
    return "\n".join(log.read_text() for log in sorted_logs(folder))


def caught_up(log: str, what: str) -> int:
    """How many messages (``requeued``) or acks (``acked``) the worker's transport held
    through an outage and gave the broker once it was back (shared/broker.py)."""
    return sum(int(n) for n in re.findall(rf'"{what}": (\d+)', log))


def test_the_worker_rides_out_ten_broker_restarts_and_nothing_is_lost(
    own_redis, receiver, database_url, start_simulator, start_worker, tmp_path
):
    simulator = start_simulator(
        webhook_target_url=receiver,
        webhook_max_attempts=40,  # HubSpot retries for hours; here, well past any outage
        webhook_retry_delay_seconds=0.2,
        webhook_retry_max_delay_seconds=0.5,
    )
    worker = start_worker(concurrency=CONCURRENCY, LLM_SIMULATED_LATENCY_MS=LLM_LATENCY_MS)
    wait_until(lambda: celery_worker_answers(own_redis.url(), "test0"), 60, "worker", worker)
    items = activity_items(simulator.url, ACTIVITIES)  # read before any fault
    timings = random.Random(7)
    pauses = [
        (timings.uniform(*UP_SECONDS), timings.uniform(*DOWN_SECONDS)) for _ in range(RESTARTS)
    ]
    waves = [items[i : i + WAVE] for i in range(0, len(items), WAVE)]
    every = sum(up + down for up, down in pauses) / len(waves)
    stop = threading.Event()

    def stream() -> None:  # a steady rate of new activities, each webhooked by the simulator
        for wave in waves:
            if stop.wait(every):
                return
            post_activities(simulator.url, wave)

    streamer = threading.Thread(target=stream, daemon=True)
    started = time.monotonic()
    streamer.start()
    try:
        for up_for, down_for in pauses:
            time.sleep(up_for)
            crash_and_restart(own_redis, down_for)
            assert worker.poll() is None, worker_log(tmp_path)[-5000:]
        streamer.join(60)
    finally:
        stop.set()
    restarted_at = time.monotonic() - started
    requests.post(f"{simulator.url}/_admin/webhooks/flush", json={"timeoutSeconds": 20}, timeout=30)
    counts = wait_for_finished(
        database_url, ACTIVITIES, timeout=60, logs=tmp_path, statuses=("completed",)
    )
    seconds = time.monotonic() - started

    stats = requests.get(f"{simulator.url}/_admin/stats", timeout=10).json()["webhooks"]
    statuses = Counter(str(d.get("status")) for d in stats["deliveries"])
    rows = run_rows(database_url)
    log = worker_log(tmp_path)
    figures = (
        f"{RESTARTS} restarts in {restarted_at:.1f}s; {ACTIVITIES} activities; deliveries by "
        f"status {dict(statuses)}, gave up {stats['gave_up']}; runs {run_counts(database_url)}; "
        f"held through the outages and given back: {caught_up(log, 'requeued')} messages, "
        f"{caught_up(log, 'acked')} acks; "
        f"worker pid {worker.pid} exited: {worker.poll() is not None}; {seconds:.1f}s"
    )
    print(f"\n[broker restarts] {figures}")
    assert worker.poll() is None, figures + "\n" + log[-5000:]
    wait_until(lambda: answers_ping(own_redis.url()), 10, "the worker's answer to a ping")
    assert "Unrecoverable error" not in log, figures + "\n" + log[-5000:]
    assert statuses["503"] > 0, figures  # deliveries did arrive into the outages
    assert stats["gave_up"] == 0, figures
    assert counts == {"completed": ACTIVITIES}, figures
    assert len(rows) == len({r[0] for r in rows}) == ACTIVITIES, figures  # one run each
    assert all(status == "completed" for _, _, status, *_ in rows), figures
    # Nothing the broker would deliver again after the visibility timeout.
    broker = redis.Redis.from_url(own_redis.url())
    wait_until(lambda: broker.hlen("unacked") == 0, 10, "every message acknowledged")
