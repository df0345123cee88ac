"""The fleet's shared LLM budget, on the suite's Redis and against a rate-limited provider."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from devstack.fake_openai import FakeOpenAI
from shared.llm.budget import BudgetTimeout, Reservation, SharedLLMBudget
from shared.llm.client import suggest
from tests.shared.llm.factories import NOW, make_activity
from tests.shared.llm.test_suggest_http import OK, config_for


def budget(redis_url: str, window_ms: int = 1000, **limits: int) -> SharedLLMBudget:
    """A 1 s window by default (time 60x faster than a provider's minute), drift scaled alike."""
    client = redis.Redis.from_url(redis_url)
    return SharedLLMBudget(client, window_ms=window_ms, drift_ms=window_ms * 3 // 10, **limits)


def test_requests_beyond_the_limit_wait_for_the_window(redis_url) -> None:
    shared = budget(redis_url, requests_per_minute=5, tokens_per_minute=0)
    started = time.monotonic()

    taken = [shared.acquire(10, max_wait_seconds=5) for _ in range(8)]
    elapsed = time.monotonic() - started

    assert len(taken) == 8
    assert 1.2 <= elapsed < 3.5  # the sixth waited for the first to leave the 1.3 s window


def test_callers_get_room_in_the_order_they_asked(redis_url) -> None:
    # Waking together to race for room as it freed up let newcomers overtake callers that
    # had waited longer, past a window for some, which then gave up: no wait may be unfair.
    shared = budget(redis_url, requests_per_minute=3, tokens_per_minute=0)
    for _ in range(3):  # the window is full, its calls 40 ms apart
        shared.acquire(10, max_wait_seconds=5)
        time.sleep(0.04)
    served: list[int] = []

    def ask(turn: int) -> None:
        time.sleep(turn * 0.04)
        shared.acquire(10, max_wait_seconds=5)
        served.append(turn)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(ask, range(6)))

    assert served == list(range(6))


def test_tokens_are_reserved_then_set_to_what_the_call_used(redis_url) -> None:
    shared = budget(redis_url, requests_per_minute=0, tokens_per_minute=1000)
    first = shared.acquire(900, max_wait_seconds=5)
    shared.settle(first, used_tokens=100)  # the answer was short
    started = time.monotonic()

    shared.acquire(800, max_wait_seconds=5)  # 100 + 800 fits: no wait

    assert time.monotonic() - started < 0.2


def test_tokens_beyond_the_limit_wait_for_the_oldest_to_leave(redis_url) -> None:
    shared = budget(redis_url, requests_per_minute=0, tokens_per_minute=1000)
    shared.acquire(900, max_wait_seconds=5)
    started = time.monotonic()

    shared.acquire(800, max_wait_seconds=5)

    assert 1.2 <= time.monotonic() - started < 2.5


def test_a_caller_out_of_patience_takes_no_room(redis_url) -> None:
    shared = budget(redis_url, requests_per_minute=1, tokens_per_minute=0)
    shared.acquire(10, max_wait_seconds=5)
    with pytest.raises(BudgetTimeout):
        shared.acquire(10, max_wait_seconds=0.5)
    started = time.monotonic()

    shared.acquire(10, max_wait_seconds=5)

    assert 1.1 <= time.monotonic() - started < 2.0  # behind the first call only


class _Patience(SharedLLMBudget):
    """The budget at a provider's real minute, noting how long each caller would wait."""

    asked: list[float]

    def acquire(self, tokens: int, max_wait_seconds: float) -> Reservation:
        self.asked.append(max_wait_seconds)
        return super().acquire(tokens, max_wait_seconds)


def test_a_call_is_willing_to_wait_a_whole_window(redis_url, openai_server: FakeOpenAI):
    # Once a burst has filled the window, room comes back as its first calls leave it: up to
    # a whole window (62 s at a real minute) later. A caller that gives up sooner fails its
    # run while the budget is merely busy (a burst of 1,000 at 600 RPM failed 400).
    openai_server.script(OK)
    shared = _Patience(redis.Redis.from_url(redis_url), 600, 0, key="llm:patience")
    shared.asked = []

    suggest(make_activity(), config_for(openai_server), now=NOW, budget=shared)

    assert shared.asked == [shared.window_seconds]


def test_a_burst_through_the_shared_budget_gets_no_429(redis_url, openai_server: FakeOpenAI):
    openai_server.script(OK)
    config = config_for(openai_server, max_attempts=1)
    # Time 20x faster than a provider's minute, not 60x: a call delayed between being counted
    # and reaching the provider (eight threads on a busy machine) must stay within the drift.
    shared = budget(redis_url, window_ms=3000, requests_per_minute=10, tokens_per_minute=0)
    activity = make_activity()

    def one(_: int) -> int:
        return suggest(activity, config, now=NOW, budget=shared).attempts

    # litellm's first call in a process builds its clients (a few hundred ms between being
    # counted and reaching the provider): more than the drift of this faster window.
    suggest(activity, config_for(openai_server), now=NOW)
    openai_server.rate_limit = (10, 3.0)
    time.sleep(3.0)  # the warm-up call leaves the provider's window
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        attempts = list(pool.map(one, range(30)))

    assert attempts == [1] * 30 and openai_server.refused == 0
    assert time.monotonic() - started >= 7.8  # 30 calls, 10 per 3.9 s: the budget's pace


def test_without_the_budget_the_same_burst_is_refused(openai_server: FakeOpenAI):
    openai_server.script(OK)
    openai_server.rate_limit = (10, 1.0)
    config = config_for(openai_server, max_attempts=1)

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: _try(config), range(30)))

    assert openai_server.refused > 0 and "failed" in outcomes


def _try(config) -> str:
    try:
        suggest(make_activity(), config, now=NOW)
    except Exception:
        return "failed"
    return "ok"
