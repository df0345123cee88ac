"""Reps and HubSpot owners, both ways.

Which owner a rep is: a hand-made mapping first (an owner of one account), else the Owners
API by email, in every account the service acts for (the static token's, or each connected
OAuth install); an email that is an owner's in several accounts must be mapped by hand. A
request the app card signed names its account, and the rep is looked for there only. Which
email an owner has: the Owners API by id, so a run can name the rep of its activity's owner.
Both lookups are cached in Redis (a miss too), so they cost one HubSpot call at most every
few minutes per rep (and account) or owner.
"""

from __future__ import annotations

import uuid

import redis
from redis.typing import EncodableT

from shared.account_keys import AccountCache
from shared.accounts.clients import AccountClients
from shared.auth.tokens import Rep
from shared.hubspot.client import HubSpotClient
from shared.hubspot.errors import AccountUnavailable
from shared.hubspot.models import Owner
from shared.redis_text import as_text
from shared.store.review import RepOwner, ReviewFunctions

CACHE_SECONDS = 600
CACHE_PREFIX = "owner-by-email:"  # then the account and the email
OWNERS = "owners"  # account key: a hash, owner id -> the owner as JSON


class UnknownUser(Exception):
    """The token verified, but its user is not in auth.users (deleted since, or never)."""


class OwnerInSeveralAccounts(Exception):
    """The rep's email is an owner's in more than one account: which one the rep is, only a
    hand-made mapping (rep_owners, with the account) can say."""

    def __init__(self, owners: list[RepOwner]) -> None:
        self.owners = owners
        named = ", ".join(f"owner {o.owner_id} of account {o.portal_id}" for o in owners)
        super().__init__(f"the email is {named}")


class OwnerResolver:
    def __init__(self, store: ReviewFunctions, clients: AccountClients, cache: redis.Redis) -> None:
        self.store = store
        self.clients = clients
        self.cache = cache

    def owner_for(self, rep: Rep) -> RepOwner | None:
        """Raises UnknownUser for a user the project does not have, OwnerInSeveralAccounts
        when only a hand-made mapping can say which owner the rep is."""
        record = self.store.rep(rep.user_id)
        if not record.known:
            raise UnknownUser(str(rep.user_id))
        mapped = record.owner_override
        if mapped or not rep.email:
            if mapped and rep.portal_id not in (None, mapped.portal_id):
                return None  # signed in another account than the one they are mapped to
            return mapped
        accounts = [rep.portal_id] if rep.portal_id is not None else self.clients.served_accounts()
        found = [match for portal in accounts for match in self._lookup(portal, rep.email)]
        if len(found) > 1:
            raise OwnerInSeveralAccounts([owner for owner, _ in found])
        if not found:
            return None
        [(owner, fresh)] = found
        if fresh:  # runs stored before this rep was known become theirs
            self.store.link_rep(rep.user_id, owner)
        return owner

    def user_for_hubspot_user(self, portal_id: int, email: str) -> uuid.UUID | None:
        """The rep a HubSpot user of the account is: the one mapped by hand to the account's
        owner with their email, else the project's user with that email; None when there is
        none."""
        owner_id, fresh = self._owner_by_email(portal_id, email)
        user = self.store.user_for_owner(portal_id, owner_id, email)
        if user is not None and owner_id is not None and fresh:
            self.store.link_rep(user, RepOwner(portal_id, owner_id))
        return user

    def _lookup(self, portal_id: int, email: str) -> list[tuple[RepOwner, bool]]:
        """The email's owner in the account, if any, and whether HubSpot was asked; an
        account lost since it was listed has none."""
        try:
            owner_id, fresh = self._owner_by_email(portal_id, email)
        except AccountUnavailable:
            return []
        return [(RepOwner(portal_id, owner_id), fresh)] if owner_id else []

    def _owner_by_email(self, portal_id: int, email: str) -> tuple[str | None, bool]:
        """The account's owner id, and whether HubSpot was asked (not the cache)."""
        key = f"{CACHE_PREFIX}{portal_id}:{email.lower()}"
        cached = self.cache.get(key)
        if cached is not None:
            return as_text(cached) or None, False
        owner = self.clients.for_account(portal_id).find_owner_by_email(email)
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
