"""Exactly-once intake of webhook events by the ingest task.

Each event identity is claimed in Redis by the ingest task's id. A redelivered task
(after a crash, Celery keeps the task id) finds its own claims and goes on; any other task
holding the same event drops it as a duplicate. Claims last longer than HubSpot retries.
"""

from __future__ import annotations

import redis

CLAIM_TTL_SECONDS = 4 * 24 * 3600
CLAIM_PREFIX = "webhook:claimed:"

# KEYS: claim keys; ARGV[1]: owner (task id), ARGV[2]: ttl. Returns 1 per key we own.
_CLAIM = """
local owned = {}
for i, key in ipairs(KEYS) do
    if redis.call('SET', key, ARGV[1], 'NX', 'EX', tonumber(ARGV[2])) then
        owned[i] = 1
    elseif redis.call('GET', key) == ARGV[1] then
        owned[i] = 1
    else
        owned[i] = 0
    end
end
return owned
"""


class EventClaims:
    def __init__(self, client: redis.Redis) -> None:
        self._claim = client.register_script(_CLAIM)

    def claim(self, identities: list[str], owner: str) -> list[bool]:
        """For each identity, whether ``owner`` holds it (newly, or from an earlier try)."""
        if not identities:
            return []
        keys = [CLAIM_PREFIX + identity for identity in identities]
        return [bool(flag) for flag in self._claim(keys=keys, args=[owner, CLAIM_TTL_SECONDS])]
