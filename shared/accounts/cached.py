"""What Redis keeps for one HubSpot account, dropped when the account's data is purged: its
data under ``account:{portal id}:`` (waiting ids, cached records, histories, owners, details),
its journal offset, its tokens' cache and its rate-limit and daily-cap counters."""

from __future__ import annotations

import redis

from shared.account_keys import account_pattern
from shared.accounts.journal import offset_key
from shared.hubspot.daily_cap import DailyCap
from shared.hubspot.rate_limit import burst_key
from shared.pipeline.pending import PENDING_ACCOUNTS

_DELETE_BATCH = 1000


def account_keys(client: redis.Redis, portal_id: int) -> list[bytes | str]:
    """Every key Redis holds for the account."""
    keys: list[bytes | str] = list(client.scan_iter(match=account_pattern(portal_id), count=1000))
    keys += client.scan_iter(match=f"hubspot:oauth:{portal_id}:*", count=1000)
    cap = DailyCap(client, portal_id)
    keys += [offset_key(portal_id), burst_key(portal_id), cap.cap_key, cap.remaining_key]
    return keys


def drop_account_keys(client: redis.Redis, portal_id: int) -> int:
    """Delete every key of the account; how many there were."""
    keys = account_keys(client, portal_id)
    dropped = 0
    for start in range(0, len(keys), _DELETE_BATCH):
        dropped += int(client.delete(*keys[start : start + _DELETE_BATCH]))
    client.srem(PENDING_ACCOUNTS, portal_id)
    return dropped
