"""Rows stored before every row knew its HubSpot account, given to the account they were
written for.

Until then the service served one account: the one its static access token reaches. SQL
cannot know it, so ``hubspot-ai migrate`` asks HubSpot once and adopts the unowned rows in
one transaction. When HubSpot (or Redis, which keeps the account's details) cannot answer,
the rows stay unowned and the next migrate adopts them; nothing else waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import build_client
from shared.hubspot.errors import HubSpotError
from shared.settings import Settings
from shared.store.accounts import AccountFunctions, RowCounts


@dataclass(frozen=True)
class Adoption:
    """The rows adopted by ``portal_id``, and those left unowned (with why, when any are)."""

    portal_id: int | None
    adopted: RowCounts
    left: RowCounts
    why_left: str = ""


def adopt_unowned_rows(settings: Settings, store: AccountFunctions) -> Adoption:
    left = store.unowned_rows()
    nothing = RowCounts({kind: 0 for kind in left.counts})
    if not left.total:
        return Adoption(None, nothing, left)
    if settings.hubspot_access_token is None:
        why = (
            "they stay unowned until adopted: `hubspot-ai migrate` with HUBSPOT_ACCESS_TOKEN "
            "set to the token of the account they were stored for adopts them"
        )
        return Adoption(None, nothing, left, why)
    try:
        portal_id = token_account(settings)
    except (HubSpotError, redis.RedisError) as exc:
        why = (
            f"HubSpot did not say which account the access token reaches ({str(exc)[:300]}); "
            "the next `hubspot-ai migrate` adopts them"
        )
        return Adoption(None, nothing, left, why)
    return Adoption(portal_id, store.adopt_rows(portal_id), nothing)


def token_account(settings: Settings) -> int:
    """The id of the one account the static access token reaches (every call has a timeout)."""
    client = redis.Redis.from_url(
        settings.redis_url or "", socket_timeout=5, socket_connect_timeout=2
    )
    try:
        return AccountDirectory(client, build_client(settings, client)).details().portal_id
    finally:
        client.close()
