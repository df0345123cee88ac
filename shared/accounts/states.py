"""Which HubSpot accounts the app can no longer act for, kept in Redis so /readyz and /metrics
read it without the database (the token keeper writes it as accounts are lost or installed)."""

from __future__ import annotations

import redis

from shared.redis_text import as_text

LOST_ACCOUNTS = "hubspot:accounts:lost"  # portal id -> status
LOST_STATUSES = ("disconnected", "uninstalled")


def lost_accounts(client: redis.Redis) -> dict[int, str]:
    """The accounts disconnected or uninstalled, by portal id."""
    return {int(k): as_text(v) for k, v in client.hgetall(LOST_ACCOUNTS).items()}


def mark_lost(client: redis.Redis, portal_id: int, status: str) -> None:
    client.hset(LOST_ACCOUNTS, str(portal_id), status)


def mark_connected(client: redis.Redis, portal_id: int) -> None:
    client.hdel(LOST_ACCOUNTS, str(portal_id))
