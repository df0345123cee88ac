"""Whose results they are: the activity's owner in HubSpot now.

The stored owner of an activity's runs is the one HubSpot last reported, an owner of the
activity's account; the pipeline moves the runs when a new version names another owner.
Whatever reads the activity from HubSpot (the API before it shows or acts on results, the
apply worker before it writes) passes on what it saw, so a reassignment takes effect at
once: the former owner is refused, the new owner sees the results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.account_keys import AccountCache
from shared.auth.owners import OwnerDirectory
from shared.hubspot.errors import ObjectNotFound
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME, Activity
from shared.store.review import ReviewFunctions, StoredActivity

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient


class Ownership:
    """``hubspot`` acts for the account of the activities asked about."""

    def __init__(self, hubspot: HubSpotClient, store: ReviewFunctions, cache: AccountCache) -> None:
        self.hubspot = hubspot
        self.store = store
        self.emails = OwnerDirectory(hubspot, cache)

    def current(self, stored: StoredActivity) -> tuple[Activity | None, str | None]:
        """HubSpot's copy of the activity (None once deleted there) and its owner now: for a
        deleted activity, the last owner HubSpot reported. Raises HubSpotError when HubSpot
        cannot say."""
        kind = KIND_BY_NAME.get(stored.activity_type or "")
        if kind is None:
            return None, stored.owner_id
        try:
            activity = fetch_activity(self.hubspot, kind, stored.activity_id)
        except ObjectNotFound:
            return None, stored.owner_id
        self.record(stored.portal_id, stored.activity_id, activity.owner_id, stored.owner_id)
        return activity, activity.owner_id

    def record(
        self,
        portal_id: int | None,
        activity_id: str,
        owner_now: str | None,
        owner_stored: str | None,
    ) -> bool:
        """Move the account's activity's runs to ``owner_now`` if that is not whom they are
        stored under; True when they moved."""
        if owner_now == owner_stored:
            return False
        email = self.emails.email_of(owner_now)
        self.store.rehome_activity(portal_id, activity_id, owner_now, email)
        return True
