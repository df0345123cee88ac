"""Activities waiting to be fetched, per object type, so many small deliveries share one
batch read. A fetch moves up to a batch of ids into its own in-flight set before touching
HubSpot; if it dies, its redelivery (same task id) resumes from that set.
"""

from __future__ import annotations

import time

import redis

from shared.redis_text import as_text

PENDING_PREFIX = "pending:"
INFLIGHT_PREFIX = "inflight:"
SCHEDULED_PREFIX = "fetch-scheduled:"
INFLIGHT_TTL_SECONDS = 24 * 3600

# KEYS[1]: pending zset, KEYS[2]: in-flight set; ARGV[1]: batch size, ARGV[2]: ttl.
_TAKE_BATCH = """
if redis.call('EXISTS', KEYS[2]) == 1 then
    return redis.call('SMEMBERS', KEYS[2])
end
local popped = redis.call('ZPOPMIN', KEYS[1], tonumber(ARGV[1]))
local ids = {}
for i = 1, #popped, 2 do
    ids[#ids + 1] = popped[i]
end
if #ids > 0 then
    redis.call('SADD', KEYS[2], unpack(ids))
    redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2]))
end
return ids
"""


class PendingActivities:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._take = client.register_script(_TAKE_BATCH)

    def add(self, object_type: str, ids: list[str]) -> None:
        if ids:
            now = time.time()
            self.redis.zadd(PENDING_PREFIX + object_type, dict.fromkeys(ids, now), nx=True)

    def should_schedule(self, object_type: str, hold_ms: int = 5000) -> bool:
        """True for exactly one caller until the scheduled fetch starts (or the hold lapses)."""
        return bool(self.redis.set(SCHEDULED_PREFIX + object_type, 1, nx=True, px=hold_ms))

    def unschedule(self, object_type: str) -> None:
        self.redis.delete(SCHEDULED_PREFIX + object_type)

    def take_batch(self, object_type: str, fetch_id: str, size: int) -> list[str]:
        keys = [PENDING_PREFIX + object_type, INFLIGHT_PREFIX + fetch_id]
        ids = self._take(keys=keys, args=[size, INFLIGHT_TTL_SECONDS])
        return [as_text(i) for i in ids]

    def done(self, fetch_id: str) -> None:
        self.redis.delete(INFLIGHT_PREFIX + fetch_id)

    def waiting(self, object_type: str) -> int:
        return int(self.redis.zcard(PENDING_PREFIX + object_type))

    def release(self, object_type: str, fetch_id: str) -> None:
        """Give a failed fetch's ids back to the pending set for a later fetch."""
        ids = [as_text(i) for i in self.redis.smembers(INFLIGHT_PREFIX + fetch_id)]
        self.add(object_type, ids)
        self.done(fetch_id)
