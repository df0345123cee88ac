"""HubSpot's API limits: a rolling 10-second window per app and a count per day.

The day is the account's: HubSpot starts the daily count again at midnight in the account's
time zone.

Rejected requests do not use up the budget, so a client that backs off recovers as soon as
the oldest accepted request leaves the window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

WINDOW_SECONDS = 10.0
POLICY_MESSAGES = {
    "TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
    "SECONDLY": "You have reached your secondly limit.",
    "DAILY": "You have reached your daily limit.",
}


@dataclass(frozen=True)
class RateDecision:
    """Whether a request may run, the headers it carries, and the policy that refused it."""

    headers: dict[str, str]
    refused_by: str | None = None


class RateLimiter:
    """Thread-safe counters; `clock` is injectable so tests can move time."""

    def __init__(
        self,
        burst_limit: int,
        daily_limit: int,
        search_per_second: int = 0,
        clock: Callable[[], float] = time.monotonic,
        window_seconds: float = WINDOW_SECONDS,
        zone: tzinfo = UTC,
    ) -> None:
        self.zone = zone
        self.burst_limit, self.daily_limit = burst_limit, daily_limit
        self.window_seconds = window_seconds
        self.search_per_second = search_per_second
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._window: deque[float] = deque()
            self._searches: deque[float] = deque()
            self._day, self._daily_count = self._today(), 0

    def check(self, *, storm: bool = False, search: bool = False) -> RateDecision:
        """Count one API request, or refuse it with the policy it would break."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            refused_by = self._refusal(storm, search)
            if refused_by is None:
                self._window.append(now)
                self._daily_count += 1
                if search:
                    self._searches.append(now)
            return RateDecision(self._headers(storm), refused_by)

    def _refusal(self, storm: bool, search: bool) -> str | None:
        if storm or len(self._window) >= self.burst_limit:
            return "TEN_SECONDLY_ROLLING"
        if self._daily_count >= self.daily_limit:
            return "DAILY"
        if search and 0 < self.search_per_second <= len(self._searches):
            return "SECONDLY"
        return None

    def _expire(self, now: float) -> None:
        while self._window and self._window[0] <= now - self.window_seconds:
            self._window.popleft()
        while self._searches and self._searches[0] <= now - 1.0:
            self._searches.popleft()
        if self._today() != self._day:
            self._day, self._daily_count = self._today(), 0

    def _today(self) -> date:
        return datetime.now(self.zone).date()

    def _headers(self, storm: bool) -> dict[str, str]:
        remaining = 0 if storm else max(self.burst_limit - len(self._window), 0)
        return {
            "X-HubSpot-RateLimit-Max": str(self.burst_limit),
            "X-HubSpot-RateLimit-Remaining": str(remaining),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.window_seconds * 1000)),
            "X-HubSpot-RateLimit-Daily": str(self.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(
                max(self.daily_limit - self._daily_count, 0)
            ),
        }
