"""A worker SIGKILLed in the middle of LLM calls: a new worker finishes everything, once.

What a killed worker leaves behind, and what brings it back:
- its unacknowledged messages stay in the broker's ``unacked`` hash; kombu puts them back on
  the queue only once they are older than the visibility timeout (600 s,
  workers/celery_app.py), when a worker starts or sweeps (every ~100 s);
- its runs stay ``processing``; a redelivered task may claim one again only after the claim
  lease (300 s, shared/store/base.py).
Neither is configurable (no setting, no environment variable), so instead of waiting ten
minutes the test moves both clocks forward: it ages the unacked messages' delivery times
and the stranded runs' ``started_at`` by more than the timeout. Before that it shows a new
worker does not touch them, so the ageing stands in for real time and nothing else.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import redis

from devstack.processes import wait_until
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_OBJECT_TYPE
from shared.pipeline.replay import replay
from shared.queues import ACTIVITIES_QUEUE
from shared.settings import get_settings
from tests.reliability.conftest import (
    FINISHED,
    PORTAL_ID,
    create_activities,
    run_rows,
    wait_for_finished,
)
from tests.workers.conftest import run_counts

pytestmark = pytest.mark.slow

ACTIVITIES = 40
LLM_LATENCY_MS = "1500"  # keeps runs in flight long enough to kill the worker among them
STRANDED_AT_LEAST = 4
UNACKED, UNACKED_INDEX = "unacked", "unacked_index"  # kombu's Redis transport keys


def processing(database_url: str) -> int:
    return run_counts(database_url).get("processing", 0)


def wait_until_settled(database_url: str, broker: redis.Redis, quiet: float = 2.0) -> int:
    """Once the queue is empty and no run finished for ``quiet`` seconds: how many of the
    activities have no finished run."""
    deadline = time.monotonic() + 60
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        counts = run_counts(database_url)
        finished = sum(counts.get(status, 0) for status in FINISHED)
        if finished != last or broker.llen(ACTIVITIES_QUEUE):
            last, since = finished, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return ACTIVITIES - finished
        time.sleep(0.1)
    raise AssertionError(f"still busy after 60 s: {run_counts(database_url)}")


ACK_GRACE_SECONDS = 10


def age_in_flight_work(redis_url: str, database_url: str, seconds: int) -> int:
    """Move the broker's delivery times and the runs' claim times ``seconds`` back, as if
    that long had passed since the worker died; answers how many messages were aged."""
    broker = redis.Redis.from_url(redis_url)
    delivered = broker.zrange(UNACKED_INDEX, 0, -1, withscores=True)
    if delivered:
        broker.zadd(UNACKED_INDEX, {tag: score - seconds for tag, score in delivered})
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "update ai_processing_logs set started_at = started_at - make_interval(secs => %s)"
            " where status = 'processing'",
            (seconds,),
        )
    return len(delivered)


def test_a_killed_worker_s_runs_complete_once_on_a_new_worker(
    start_simulator, receiver_url, start_worker, database_url, redis_url, tmp_path
):

    simulator = start_simulator(webhook_target_url=f"{receiver_url}/webhooks/hubspot")
    doomed = start_worker(concurrency=8, LLM_SIMULATED_LATENCY_MS=LLM_LATENCY_MS)
    broker = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    create_activities(simulator.url, ACTIVITIES)  # the simulator sends their webhooks
    wait_until(lambda: processing(database_url) >= STRANDED_AT_LEAST, 60, "runs in flight")
    doomed.kill()  # SIGKILL: no warm shutdown, nothing acknowledged or restored
    doomed.wait(10)
    stranded, unacked = processing(database_url), broker.hlen(UNACKED)

    # A new worker takes everything still queued, but not what the dead one held.
    start_worker(concurrency=8)
    held = wait_until_settled(database_url, broker)
    still_stranded = processing(database_url)

    past_visibility = get_settings().broker_visibility_timeout_seconds + 1
    aged = age_in_flight_work(redis_url, database_url, past_visibility)
    start_worker(concurrency=8)  # kombu restores visible messages when a worker starts
    wait_for_finished(database_url, ACTIVITIES, timeout=60, logs=tmp_path)
    seconds = time.monotonic() - started
    # A task is acknowledged just after its run is stored: give the last acks a moment.
    deadline = time.monotonic() + ACK_GRACE_SECONDS
    while broker.hlen(UNACKED) and time.monotonic() < deadline:
        time.sleep(0.1)

    rows = run_rows(database_url)
    figures = (
        f"activities {ACTIVITIES}; killed with {stranded} runs processing and {unacked} "
        f"unacknowledged messages; a new worker drained the queue, leaving {held} runs "
        f"unfinished ({still_stranded} processing); aged {aged} messages and the runs by "
        f"{past_visibility} s; then "
        f"runs {run_counts(database_url)}, drafts {sum(r[3] for r in rows)}; {seconds:.1f} s"
    )
    print(f"\n[worker killed] {figures}")
    assert stranded >= STRANDED_AT_LEAST and unacked >= stranded, figures
    assert still_stranded == stranded and held >= stranded, figures
    assert run_counts(database_url) == {"completed": ACTIVITIES}, figures
    assert len({(r[0], r[1]) for r in rows}) == len(rows) == ACTIVITIES, figures
    assert all(drafts == 3 and recs == 1 for *_, drafts, recs in rows), figures
    assert broker.hlen(UNACKED) == 0, figures


def test_replay_of_processing_re_queues_a_run_stranded_past_its_lease(
    runtime, dispatcher, simulator
):
    [record] = create_activities(simulator.url, 1)
    activity = fetch_activity(runtime.hubspot, KIND_BY_OBJECT_TYPE[record["type"]], record["id"])
    run = runtime.store.queue_run(activity, PORTAL_ID)
    assert runtime.store.claim_run(run.run_id)  # a worker took it, then died
    with psycopg.connect(runtime.settings.database_url) as conn:
        conn.execute(
            "update ai_processing_logs set started_at = now() - make_interval(secs => %s)"
            " where id = %s",
            (runtime.settings.claim_lease_seconds + 1, run.run_id),
        )

    result = replay(runtime, "processing", datetime.now(UTC) - timedelta(hours=1))

    figures = f"{result}; dispatched tasks {[name for name, *_ in dispatcher.sent]}"
    print(f"\n[replay processing] {figures}")
    assert result.found == 1, figures
    assert result.dispatched == 1, figures
