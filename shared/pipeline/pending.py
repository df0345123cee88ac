"""Activities waiting to be fetched, per account and object type, so many small deliveries
share one batch read. A fetch moves up to a batch of ids into its own in-flight set before
touching HubSpot; if it dies, its redelivery (same task id) resumes from that set.
"""

from __future__ import annotations

import time

import redis

from shared.account_keys import account_key
from shared.redis_text import as_text

PENDING = "pending"  # account key + object type: a sorted set of ids by arrival
SCHEDULED = "fetch-scheduled"  # account key + object type: a fetch is on its way
PENDING_ACCOUNTS = "pending:accounts"  # the accounts that have had ids waiting (for gauges)
INFLIGHT_PREFIX = "inflight:"  # + the fetch's task id
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
    def __init__(self, client: redis.Redis, portal_id: int) -> None:
        self.redis = client
        self.portal_id = portal_id
        self._take = client.register_script(_TAKE_BATCH)

    def add(self, object_type: str, ids: list[str]) -> None:
        if ids:
            now = time.time()
            pipe = self.redis.pipeline()
            pipe.zadd(pending_key(self.portal_id, object_type), dict.fromkeys(ids, now), nx=True)
            pipe.sadd(PENDING_ACCOUNTS, self.portal_id)
            pipe.execute()

    def should_schedule(self, object_type: str, hold_ms: int = 5000) -> bool:
        """True for exactly one caller until the scheduled fetch starts (or the hold lapses)."""
        return bool(self.redis.set(self._scheduled(object_type), 1, nx=True, px=hold_ms))

    def unschedule(self, object_type: str) -> None:
        self.redis.delete(self._scheduled(object_type))

    def take_batch(self, object_type: str, fetch_id: str, size: int) -> list[str]:
        keys = [pending_key(self.portal_id, object_type), INFLIGHT_PREFIX + fetch_id]
        ids = self._take(keys=keys, args=[size, INFLIGHT_TTL_SECONDS])
        return [as_text(i) for i in ids]

    def done(self, fetch_id: str) -> None:
        self.redis.delete(INFLIGHT_PREFIX + fetch_id)

    def waiting(self, object_type: str) -> int:
        return int(self.redis.zcard(pending_key(self.portal_id, object_type)))

    def release(self, object_type: str, fetch_id: str) -> None:
        """Give a failed fetch's ids back to the pending set for a later fetch."""
        ids = [as_text(i) for i in self.redis.smembers(INFLIGHT_PREFIX + fetch_id)]
        self.add(object_type, ids)
        self.done(fetch_id)

    def _scheduled(self, object_type: str) -> str:
        return account_key(self.portal_id, SCHEDULED, object_type)


def pending_key(portal_id: int, object_type: str) -> str:
    return account_key(portal_id, PENDING, object_type)


def waiting_by_type(
    client: redis.Redis, object_types: list[str], accounts: set[bytes]
) -> dict[str, int]:
    """Ids waiting to be fetched, per object type, across ``accounts`` (the members of
    ``PENDING_ACCOUNTS``), in one pipeline."""
    portals = [int(as_text(p)) for p in accounts]
    pipe = client.pipeline(transaction=False)
    for object_type in object_types:
        for portal_id in portals:
            pipe.zcard(pending_key(portal_id, object_type))
    counts = iter(pipe.execute())
    return {t: sum(int(next(counts)) for _ in portals) for t in object_types}
