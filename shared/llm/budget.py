"""One budget of LLM requests and tokens per minute for every worker, kept in Redis.

A provider's limits are per account (or key), not per process, so a burst across many
workers must share them, as the HubSpot limiter shares HubSpot's. Each call takes a request
slot and reserves the tokens it expects (its prompt plus the answer it may get); when either
would go over, the caller waits until the oldest reservation leaves the rolling window. Once
the answer is in, the reservation is set to the tokens actually used.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import redis

WINDOW_MS = 60_000
# A reservation counts this much longer than the provider's window: a call reaches the
# provider a little after it is counted here (a cold client takes a few hundred ms), and it
# must not then fall into the provider's next window together with the calls counted there.
DRIFT_MS = 2_000

# KEYS: requests, tokens. ARGV: max requests, max tokens, window ms, id, tokens.
# The tokens set's members are "<id>:<tokens>". Returns 0 when taken, else ms to wait.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max_requests, max_tokens = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, wanted = tonumber(ARGV[3]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local wait = 0
if max_requests > 0 and redis.call('ZCARD', KEYS[1]) >= max_requests then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
end
if max_tokens > 0 then
    local used, entries = 0, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    for i = 1, #entries, 2 do
        used = used + tonumber(string.match(entries[i], ':(%d+)$'))
    end
    if used > 0 and used + wanted > max_tokens then
        wait = math.max(wait, tonumber(entries[2]) + window - now)
    end
end
if wait > 0 then
    return math.max(1, wait)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('ZADD', KEYS[2], now, ARGV[4] .. ':' .. ARGV[5])
redis.call('PEXPIRE', KEYS[1], window)
redis.call('PEXPIRE', KEYS[2], window)
return 0
"""

# KEYS: tokens. ARGV: id, reserved, used. Keeps the reservation's time, changes its size.
_SETTLE = """
local old = ARGV[1] .. ':' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], old)
if score then
    redis.call('ZREM', KEYS[1], old)
    redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':' .. ARGV[3])
end
return 0
"""


class BudgetTimeout(RuntimeError):
    """No room in the budget within the caller's patience."""


@dataclass(frozen=True)
class Reservation:
    id: str
    tokens: int


class SharedLLMBudget:
    """At most ``requests_per_minute`` calls and ``tokens_per_minute`` tokens per rolling
    window across every process using ``key``; 0 leaves that dimension unlimited."""

    def __init__(
        self,
        client: redis.Redis,
        requests_per_minute: int,
        tokens_per_minute: int,
        key: str = "llm:budget",
        window_ms: int = WINDOW_MS,
        drift_ms: int = DRIFT_MS,
    ) -> None:
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self.keys = [f"{key}:requests", f"{key}:tokens"]
        self.window_ms = window_ms + drift_ms
        self._take = client.register_script(_TAKE)
        self._settle = client.register_script(_SETTLE)

    def acquire(self, tokens: int, max_wait_seconds: float) -> Reservation:
        """Wait for room for one call of about ``tokens`` tokens; the reservation made."""
        reservation = Reservation(uuid.uuid4().hex, max(1, tokens))
        started = time.monotonic()
        while True:
            arguments = [
                self.requests_per_minute,
                self.tokens_per_minute,
                self.window_ms,
                reservation.id,
                reservation.tokens,
            ]
            wait_ms = int(self._take(keys=self.keys, args=arguments))
            if wait_ms == 0:
                return reservation
            waited = time.monotonic() - started
            if waited + wait_ms / 1000 > max_wait_seconds:
                raise BudgetTimeout(f"no room in the LLM budget within {max_wait_seconds:.0f}s")
            time.sleep(wait_ms / 1000)

    def settle(self, reservation: Reservation, used_tokens: int) -> None:
        """The call is answered: count the tokens it used instead of the estimate."""
        self._settle(
            keys=self.keys[1:], args=[reservation.id, reservation.tokens, max(1, used_tokens)]
        )
