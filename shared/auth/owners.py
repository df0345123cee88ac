"""Which HubSpot owner a rep is: a hand-made mapping first, else the Owners API by email.

Lookups by email are cached in Redis (a miss too), so a page of requests costs one HubSpot
call at most every few minutes per rep.
"""

from __future__ import annotations

import redis

from shared.auth.tokens import Rep
from shared.hubspot.client import HubSpotClient
from shared.store.review import ReviewFunctions

CACHE_SECONDS = 600
CACHE_PREFIX = "owner-by-email:"


class UnknownUser(Exception):
    """The token verified, but its user is not in auth.users (deleted since, or never)."""


class OwnerResolver:
    def __init__(self, store: ReviewFunctions, hubspot: HubSpotClient, cache: redis.Redis) -> None:
        self.store = store
        self.hubspot = hubspot
        self.cache = cache

    def owner_for(self, rep: Rep) -> str | None:
        """Raises UnknownUser for a user the project does not have."""
        record = self.store.rep(rep.user_id)
        if not record.known:
            raise UnknownUser(str(rep.user_id))
        if record.owner_override or not rep.email:
            return record.owner_override
        key = CACHE_PREFIX + rep.email.lower()
        cached = self.cache.get(key)
        if cached is not None:
            return cached.decode() or None
        owner = self.hubspot.find_owner_by_email(rep.email)
        self.cache.set(key, owner.id if owner else "", ex=CACHE_SECONDS)
        return owner.id if owner else None
