"""What Redis keeps for one HubSpot account, dropped when the account's data is purged."""

from __future__ import annotations

import redis

# The account's keys name it between two colons (``hubspot:journal:{portal_id}:offset``).
ACCOUNT_KEYS = "*:{portal_id}:*"
_DELETE_BATCH = 1000


def drop_account_keys(client: redis.Redis, portal_id: int) -> int:
    """Delete every key of the account (``ACCOUNT_KEYS``); how many there were."""
    dropped = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=ACCOUNT_KEYS.format(portal_id=portal_id), count=1000):
        batch.append(key)
        if len(batch) == _DELETE_BATCH:
            dropped += int(client.delete(*batch))
            batch.clear()
    if batch:
        dropped += int(client.delete(*batch))
    return dropped
