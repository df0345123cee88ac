"""Reps and HubSpot owners, both ways.

Which owner a rep is: a hand-made mapping first, else the Owners API by email. Which email
an owner has: the Owners API by id, so a run can name the rep of its activity's owner.
Both lookups are cached in Redis (a miss too), so they cost one HubSpot call at most every
few minutes per rep or owner.
"""

from __future__ import annotations

import redis

from shared.auth.tokens import Rep
from shared.hubspot.client import HubSpotClient
from shared.store.review import ReviewFunctions

CACHE_SECONDS = 600
CACHE_PREFIX = "owner-by-email:"
OWNER_EMAILS_KEY = "owner-emails"  # a hash: owner id -> email ("" when it has none)


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
        if owner is not None:  # runs stored before this rep was known become theirs
            self.store.link_rep(rep.user_id, owner.id)
        return owner.id if owner else None


class OwnerEmails:
    """A HubSpot owner's email by owner id. The account's whole owner list is read at once
    (one call per 100 owners) and kept for the cache period: runs name few owners, often."""

    def __init__(self, hubspot: HubSpotClient, cache: redis.Redis) -> None:
        self.hubspot = hubspot
        self.cache = cache

    def email_of(self, owner_id: str | None) -> str | None:
        if not owner_id:
            return None
        email = self.cache.hget(OWNER_EMAILS_KEY, owner_id)
        if email is not None:
            return email.decode() or None
        if self.cache.exists(OWNER_EMAILS_KEY):
            return None  # not an owner of this account when the list was read
        return self._load().get(owner_id) or None

    def _load(self) -> dict[str, str]:
        # An empty marker keeps a portal with no owners from being read on every call.
        emails = {"": ""} | {owner.id: owner.email or "" for owner in self.hubspot.all_owners()}
        pipe = self.cache.pipeline()
        pipe.hset(OWNER_EMAILS_KEY, mapping=emails)
        pipe.expire(OWNER_EMAILS_KEY, CACHE_SECONDS)
        pipe.execute()
        return emails
