"""Redis keys of one HubSpot account's data.

What the pipeline keeps in Redis for an account (ids waiting to be fetched, cached records,
histories and owners, its details) lives under ``account:{portal id}:``: ids are only unique
within an account, so two accounts never read each other's copies, and one pattern finds
all of an account's keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

PREFIX = "account"


def account_key(portal_id: int, *parts: str | int) -> str:
    return ":".join((PREFIX, str(portal_id), *(str(part) for part in parts)))


def account_pattern(portal_id: int) -> str:
    """Matches every key of the account's data."""
    return account_key(portal_id, "*")


@dataclass(frozen=True)
class AccountCache:
    """Redis as one account's cache: every key it names is under the account's prefix."""

    redis: redis.Redis
    portal_id: int

    def key(self, *parts: str | int) -> str:
        return account_key(self.portal_id, *parts)
