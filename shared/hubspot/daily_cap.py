"""HubSpot's daily API limit: read from its answers, and no call made until it resets.

Every answer carries ``X-HubSpot-RateLimit-Daily-Remaining``. When it reaches 0, or HubSpot
refuses a call under its ``DAILY`` policy, the cap is recorded in Redis until midnight in the
account's time zone, when HubSpot starts the count again. Until then no process calls
HubSpot (``DailyCapReached``) and the work that needs HubSpot is parked
(``shared.pipeline.parking``) to complete after the reset: calls that could only be refused
would also count against the error budget HubSpot allows an app.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import redis

from shared.hubspot.account import kept_account
from shared.hubspot.errors import HubSpotError
from shared.logging import get_logger

CAP_KEY = "hubspot:daily_cap"  # the reset time (epoch seconds); expires at the reset
REMAINING_KEY = "hubspot:daily_remaining"
# Each process records the remaining count for /metrics at most this often.
REMAINING_EVERY_SECONDS = 5.0

log = get_logger(__name__)


class DailyCapReached(HubSpotError):
    """No HubSpot call may be made until ``until``: the work waits, it does not fail."""

    def __init__(self, until: datetime) -> None:
        super().__init__(
            f"HubSpot's daily API limit is used up until {until:%Y-%m-%d %H:%M %Z}",
            status=429,
            category="DAILY",
        )
        self.until = until


class DailyCap:
    """The fleet's view of the daily limit, shared through Redis."""

    def __init__(self, client: redis.Redis, account: int | None = None) -> None:
        """``account``: an OAuth install's portal id, whose cap is its own (HubSpot counts
        the daily limit per app per account); None: the static account's."""
        self.redis = client
        self.account = account
        suffix = "" if account is None else f":{account}"
        self.cap_key, self.remaining_key = CAP_KEY + suffix, REMAINING_KEY + suffix
        self._remaining_written_at = 0.0

    def until(self) -> datetime | None:
        """When calling may resume, while the cap is in force; None otherwise."""
        raw = self.redis.get(self.cap_key)
        return datetime.fromtimestamp(float(raw), UTC) if raw else None

    def check(self) -> None:
        until = self.until()
        if until is not None:
            raise DailyCapReached(until)

    def observe(self, headers: Mapping[str, str], refused_daily: bool = False) -> None:
        """Read one answer's headers; trip the cap when the day's calls are used up.

        A Redis failure here is logged, not raised: the call it follows has been made, and
        its answer (a write, perhaps) must not be reported as a failure. The next answer, or
        HubSpot's DAILY refusal, trips the cap again.
        """
        remaining = headers.get("x-hubspot-ratelimit-daily-remaining")
        try:
            if refused_daily or remaining == "0":
                self.reach()
            if remaining is not None and remaining.isdigit():
                self._record_remaining(remaining)
        except redis.RedisError as exc:
            log.warning("daily_limit_not_recorded", error=type(exc).__name__)

    def _record_remaining(self, remaining: str) -> None:
        now = time.monotonic()
        if now - self._remaining_written_at >= REMAINING_EVERY_SECONDS or remaining == "0":
            self.redis.set(self.remaining_key, remaining)
            self._remaining_written_at = now

    def reach(self) -> datetime:
        reset = next_reset(self.redis, account=self.account)
        self.redis.set(self.cap_key, str(reset.timestamp()), pxat=int(reset.timestamp() * 1000))
        return reset

    def remaining(self) -> int | None:
        raw = self.redis.get(self.remaining_key)
        return int(raw) if raw else None


def next_reset(
    client: redis.Redis, now: datetime | None = None, account: int | None = None
) -> datetime:
    """The next midnight in the account's time zone (UTC until the account is known)."""
    details, _ = kept_account(client, account)
    zone = details.zone if details is not None else UTC
    local = (now or datetime.now(UTC)).astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), zone)
    return midnight.astimezone(UTC)
