"""HubSpot misbehaving: a 429 storm for a few seconds and 20% of calls failing with 5xx
throughout. Every activity still completes, and two worker processes sharing the limiter
never push the portal past its burst limit: the only 429s are the storm's.

The simulator and the workers are told the same burst limit (per rolling 10 s, HubSpot's
window and the shared limiter's). The simulator's limiter is wrapped in-process to record
every API request it admitted or refused, and why, so storm refusals and burst refusals are
told apart exactly and the busiest 10-second window can be measured.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
import requests

from shared.hubspot.rate_limit import WINDOW_MS, budget_for
from tests.reliability.conftest import (
    activity_items,
    post_activities,
    run_rows,
    wait_for_finished,
    wait_for_workers,
)
from tests.workers.conftest import run_counts

pytestmark = pytest.mark.slow

BURST = 60  # requests per rolling 10 s: the simulated portal's limit and HUBSPOT_BURST_LIMIT
ERROR_RATE = 0.2
STORM_SECONDS = 3.0
WAVES, PER_WAVE, WAVE_GAP = 2, 75, STORM_SECONDS  # one wave in the storm, one after it
WORKER_ENV = {"HUBSPOT_BURST_LIMIT": str(BURST), "HUBSPOT_MAX_ATTEMPTS": "8"}


class AdmissionLog:
    """Wraps the simulator's rate limiter: when each request came, and who refused it."""

    def __init__(self, limiter: Any) -> None:
        self.entries: list[tuple[float, bool, str | None]] = []
        self._lock = threading.Lock()
        self._check = limiter.check
        limiter.check = self.check

    def check(self, *, storm: bool = False, search: bool = False) -> Any:
        decision = self._check(storm=storm, search=search)
        with self._lock:
            self.entries.append((time.monotonic(), storm, decision.refused_by))
        return decision

    def counts(self) -> Counter:
        with self._lock:
            entries = list(self.entries)
        return Counter(
            "admitted" if refused is None else "storm 429" if storm else "burst 429"
            for _, storm, refused in entries
        )

    def busiest_window(self, seconds: float) -> int:
        """Most admitted requests in any rolling window of ``seconds``."""
        with self._lock:
            times = sorted(t for t, _, refused in self.entries if refused is None)
        most, first = 0, 0
        for last, moment in enumerate(times):
            while times[first] <= moment - seconds:
                first += 1
            most = max(most, last - first + 1)
        return most


def set_faults(simulator_url: str, **faults: Any) -> None:
    requests.post(f"{simulator_url}/_admin/faults", json=faults, timeout=10).raise_for_status()


def test_a_429_storm_and_5xx_lose_nothing_and_never_break_the_burst_limit(
    start_simulator, receiver_url, start_worker, database_url, redis_url, tmp_path
):
    simulator = start_simulator(
        webhook_target_url=f"{receiver_url}/webhooks/hubspot",
        burst_limit=BURST,
        rate_limit_window_ms=WINDOW_MS,
    )
    for _ in range(2):
        start_worker(concurrency=4, **WORKER_ENV)
    items = activity_items(simulator.url, WAVES * PER_WAVE)  # reads the CRM: before faults
    admissions = AdmissionLog(simulator.simulator.limiter)  # from here on, workers only
    wait_for_workers(redis_url, 2)
    started = time.monotonic()
    set_faults(simulator.url, rate_limit_storm=True, error_rate=ERROR_RATE)
    for wave in range(WAVES):
        post_activities(simulator.url, items[wave * PER_WAVE : (wave + 1) * PER_WAVE])
        if time.monotonic() - started >= STORM_SECONDS:
            set_faults(simulator.url, rate_limit_storm=False)
        time.sleep(WAVE_GAP if wave < WAVES - 1 else 0)
    set_faults(simulator.url, rate_limit_storm=False)
    wait_for_finished(database_url, WAVES * PER_WAVE, timeout=90, logs=tmp_path)
    seconds = time.monotonic() - started

    stats = requests.get(f"{simulator.url}/_admin/stats?deliveries=false", timeout=10).json()
    counts, busiest = admissions.counts(), admissions.busiest_window(WINDOW_MS / 1000)
    rows = run_rows(database_url)
    figures = (
        f"activities {WAVES * PER_WAVE}; API requests {sum(counts.values())}: "
        f"{counts['admitted']} admitted ({stats['injected_errors']['total']} of them answered "
        f"5xx), {counts['storm 429']} refused by the storm, {counts['burst 429']} by the "
        f"burst limit (simulator's 429 count {stats['rate_limited']}); busiest 10 s window "
        f"{busiest} requests (limit {BURST}, shared budget {budget_for(BURST)}); "
        f"runs {run_counts(database_url)}; {seconds:.1f} s"
    )
    print(f"\n[hubspot faults] {figures}")
    assert counts["storm 429"] > 0 and stats["injected_errors"]["total"] > 0, figures
    assert run_counts(database_url) == {"completed": WAVES * PER_WAVE}, figures
    assert all(drafts == 3 and recs == 1 for *_, drafts, recs in rows), figures
    assert counts["burst 429"] == 0 and busiest <= BURST, figures
    assert stats["rate_limited"] == counts["storm 429"], figures
