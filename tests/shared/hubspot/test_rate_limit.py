"""The shared limiter against a real Redis, from several processes at once."""

import multiprocessing
import time

import pytest
import redis

from shared.hubspot.rate_limit import RateLimitTimeout, SharedRateLimiter, budget_for


def take_slots(url: str, count: int, limit: int, window_ms: int, queue) -> None:
    limiter = SharedRateLimiter(redis.Redis.from_url(url), limit, window_ms=window_ms)
    for _ in range(count):
        limiter.acquire()
        queue.put(time.monotonic())


def test_slots_are_given_up_to_the_limit_then_refused(redis_url):
    limiter = SharedRateLimiter(redis.Redis.from_url(redis_url), limit=3, window_ms=10_000)

    for _ in range(3):
        assert limiter.acquire(max_wait_seconds=0) == pytest.approx(0, abs=0.05)
    with pytest.raises(RateLimitTimeout):
        limiter.acquire(max_wait_seconds=1)


def test_a_waiting_caller_gets_the_next_free_slot(redis_url):
    limiter = SharedRateLimiter(redis.Redis.from_url(redis_url), limit=2, window_ms=300)
    limiter.acquire()
    limiter.acquire()

    waited = limiter.acquire(max_wait_seconds=5)

    assert 0.15 < waited < 1.0


def test_processes_share_one_budget(redis_url):
    """Two processes taking 12 slots each under a limit of 8 per 500 ms never exceed it."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=take_slots, args=(redis_url, 12, 8, 500, queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    times = sorted(queue.get(timeout=30) for _ in range(24))
    for worker in workers:
        worker.join(10)

    busiest = max(sum(1 for t in times if start <= t < start + 0.45) for start in times)
    assert busiest <= 8
    assert times[-1] - times[0] >= 1.0  # 24 slots at 8 per 500 ms need at least two waits


def test_the_budget_leaves_headroom_under_hubspots_limit():
    assert budget_for(100) == 90
    assert budget_for(190) == 171
    assert budget_for(1) == 1
