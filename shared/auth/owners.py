"""Reps and HubSpot owners, both ways.

Which owner a rep is: a hand-made mapping first, else the Owners API by email. Which email
an owner has: the Owners API by id, so a run can name the rep of its activity's owner.
Both lookups are cached in Redis (a miss too), so they cost one HubSpot call at most every
few minutes per rep or owner.
"""

from __future__ import annotations

import uuid

import redis
from redis.typing import EncodableT

from shared.account_keys import AccountCache
from shared.auth.tokens import Rep
from shared.hubspot.client import HubSpotClient
from shared.hubspot.models import Owner
from shared.redis_text import as_text
from shared.store.review import ReviewFunctions

CACHE_SECONDS = 600
CACHE_PREFIX = "owner-by-email:"
OWNERS = "owners"  # account key: a hash, owner id -> the owner as JSON


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
        owner, fresh = self._owner_by_email(rep.email)
        if owner is not None and fresh:  # runs stored before this rep was known become theirs
            self.store.link_rep(rep.user_id, owner)
        return owner

    def user_for_hubspot_user(self, email: str) -> uuid.UUID | None:
        """The rep a HubSpot user is: the one mapped by hand to the HubSpot owner with their
        email, else the project's user with that email; None when there is none."""
        owner, fresh = self._owner_by_email(email)
        user = self.store.user_for_owner(owner, email)
        if user is not None and owner is not None and fresh:
            self.store.link_rep(user, owner)
        return user

    def _owner_by_email(self, email: str) -> tuple[str | None, bool]:
        """The owner id, and whether HubSpot was asked (not the cache)."""
        key = CACHE_PREFIX + email.lower()
        cached = self.cache.get(key)
        if cached is not None:
            return as_text(cached) or None, False
        owner = self.hubspot.find_owner_by_email(email)
        self.cache.set(key, owner.id if owner else "", ex=CACHE_SECONDS)
        return (owner.id if owner else None), True


class OwnerDirectory:
    """A HubSpot owner's email and name by owner id. The account's whole owner list is read
    at once (one call per 100 owners) and kept for the cache period: runs name few owners,
    often."""

    def __init__(self, hubspot: HubSpotClient, cache: AccountCache) -> None:
        self.hubspot = hubspot
        self.cache = cache.redis
        self.key = cache.key(OWNERS)

    def email_of(self, owner_id: str | None) -> str | None:
        owner = self.owner(owner_id)
        return owner.email if owner else None

    def owner(self, owner_id: str | None) -> Owner | None:
        if not owner_id:
            return None
        found = self.cache.hget(self.key, owner_id)
        if found is not None:
            return Owner.model_validate_json(found)
        if self.cache.exists(self.key):
            return None  # not an owner of this account when the list was read
        return self._load().get(owner_id)

    def _load(self) -> dict[str, Owner]:
        owners = {owner.id: owner for owner in self.hubspot.all_owners()}
        # An empty marker keeps a portal with no owners from being read on every call.
        entries: dict[EncodableT, EncodableT] = {"": "{}"}
        entries |= {key: owner.model_dump_json() for key, owner in owners.items()}
        pipe = self.cache.pipeline()
        pipe.hset(self.key, mapping=entries)
        pipe.expire(self.key, CACHE_SECONDS)
        pipe.execute()
        return owners
