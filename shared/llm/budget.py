"""One budget of LLM requests and tokens per minute for every worker, kept in Redis.

A provider's limits are per account (or key), not per process, so a burst across many
workers must share them, as the HubSpot limiter shares HubSpot's. Each call takes a request
slot and reserves the tokens it expects (its prompt plus the answer it may get); when either
would go over, the call is counted at the earliest moment the rolling window has room for
it behind the calls already waiting, and its caller sleeps until then. Callers are served in
the order they ask, with one Redis call each: none wakes to race the others for freed room,
which let newcomers overtake callers that had waited longer. Once the answer is in, the
reservation is set to the tokens actually used.
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
# A caller with no limit of its own still gets an answer in finite time.
MAX_PATIENCE_SECONDS = 3_600.0

# KEYS: requests, tokens. ARGV: max requests, max tokens, window ms, id, tokens, patience ms.
# The tokens set's members are "<id>:<tokens>". Each call is given the earliest moment it
# fits behind the calls already counted (now, or later) and is counted at that moment, so
# callers are served in the order they asked. Returns {1, ms to wait} when counted, or
# {0, ms it would wait} when that is past the caller's patience (nothing counted).
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max_requests, max_tokens = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, wanted, patience = tonumber(ARGV[3]), tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local at = now
local counted = redis.call('ZCARD', KEYS[1])
if max_requests > 0 and counted >= max_requests then
    -- room once the call max_requests places back from the newest has left the window
    local rank = counted - max_requests
    local call = redis.call('ZRANGE', KEYS[1], rank, rank, 'WITHSCORES')
    at = math.max(at, tonumber(call[2]) + window)
end
if max_tokens > 0 then
    local used, entries = 0, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    for i = 1, #entries, 2 do
        used = used + tonumber(string.match(entries[i], ':(%d+)$'))
    end
    local i = 1
    while used > 0 and used + wanted > max_tokens do  -- room once the oldest have left
        used = used - tonumber(string.match(entries[i], ':(%d+)$'))
        at = math.max(at, tonumber(entries[i + 1]) + window)
        i = i + 2
    end
end
if at - now > patience then
    return {0, at - now}
end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('ZADD', KEYS[2], at, ARGV[4] .. ':' .. ARGV[5])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local ttl = tonumber(newest[2]) + window - now
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {1, at - now}
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

    @property
    def window_seconds(self) -> float:
        """The rolling window, drift included: the longest a lone caller can be kept waiting."""
        return self.window_ms / 1000

    def acquire(self, tokens: int, max_wait_seconds: float) -> Reservation:
        """Room for one call of about ``tokens`` tokens, after waiting for it if need be;
        callers are served in the order they ask. Raises ``BudgetTimeout``, counting
        nothing, when the room comes later than ``max_wait_seconds``."""
        reservation = Reservation(uuid.uuid4().hex, max(1, tokens))
        patience_ms = round(min(max_wait_seconds, MAX_PATIENCE_SECONDS) * 1000)
        arguments: list[int | str] = [
            self.requests_per_minute,
            self.tokens_per_minute,
            self.window_ms,
            reservation.id,
            reservation.tokens,
            patience_ms,
        ]
        taken, wait_ms = self._take(keys=self.keys, args=arguments)
        if not taken:
            raise BudgetTimeout(
                f"no room in the LLM budget within {max_wait_seconds:.0f}s "
                f"(the next in {int(wait_ms) / 1000:.0f}s)"
            )
        time.sleep(int(wait_ms) / 1000)
        return reservation

    def settle(self, reservation: Reservation, used_tokens: int) -> None:
        """The call is answered: count the tokens it used instead of the estimate."""
        self._settle(
            keys=self.keys[1:], args=[reservation.id, reservation.tokens, max(1, used_tokens)]
        )
