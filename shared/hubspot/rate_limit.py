"""A rolling-window limiter shared through Redis by every worker process on every machine.

HubSpot's burst limit is per app, so the whole fleet shares one budget. Each call takes a
slot in a Redis sorted set scored by the server's clock (one clock for all machines); when
the window is full the caller waits exactly until the oldest slot expires.
"""

from __future__ import annotations

import time
import uuid

import redis

WINDOW_MS = 10_000

# KEYS[1]: the window; ARGV: limit, window ms, member. Returns 0 when a slot was taken,
# otherwise the milliseconds until one frees up.
_TAKE_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
    redis.call('ZADD', KEYS[1], now, ARGV[3])
    redis.call('PEXPIRE', KEYS[1], window)
    return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


BURST_KEY = "hubspot:burst"


def burst_key(account: int | None) -> str:
    """The burst budget's key: the static account's, or an OAuth account's own (HubSpot's
    burst limit is per app per account)."""
    return BURST_KEY if account is None else f"{BURST_KEY}:{account}"


class RateLimitTimeout(RuntimeError):
    """No slot freed up within the caller's patience."""


class SharedRateLimiter:
    """At most ``limit`` calls per rolling ``window_ms`` across all processes using ``key``."""

    def __init__(
        self,
        client: redis.Redis,
        limit: int,
        key: str = BURST_KEY,
        window_ms: int = WINDOW_MS,
    ) -> None:
        self.limit = limit
        self.key = key
        self.window_ms = window_ms
        self._take_slot = client.register_script(_TAKE_SLOT)

    def acquire(self, max_wait_seconds: float = 30.0) -> float:
        """Block until a slot is ours; returns the seconds spent waiting."""
        started = time.monotonic()
        while True:
            wait_ms = int(
                self._take_slot(
                    keys=[self.key], args=[self.limit, self.window_ms, uuid.uuid4().hex]
                )
            )
            waited = time.monotonic() - started
            if wait_ms == 0:
                return waited
            if waited + wait_ms / 1000 > max_wait_seconds:
                raise RateLimitTimeout(f"no HubSpot call slot within {max_wait_seconds:.0f}s")
            time.sleep(wait_ms / 1000)


def budget_for(burst_limit: int) -> int:
    """Leave headroom under HubSpot's limit: its window and ours are not perfectly aligned."""
    return max(1, int(burst_limit * 0.9))
