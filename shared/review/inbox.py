"""A rep's inbox rows with their activities as HubSpot has them now.

The database keeps no copy of CRM records, so a page that wants them reads HubSpot at
request time: one ``fetch_activities`` per activity type on the page (a few batch calls),
never one GET per row. Summaries are then kept in Redis for two minutes, because the HubSpot
budget is shared with the pipeline and a rep reloading the inbox must not spend it; an
apply job forgets the summary of the activity it wrote. They are kept per account, as read
with that account's client.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import redis

from shared.hubspot.fetch import fetch_activities
from shared.hubspot.models import KIND_BY_NAME, ActivityKind
from shared.store.rows import RunRow, json_row

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

# (activity_type, activity_id): HubSpot names an object by its type and id together.
ActivityKey = tuple[str, str]

CACHE_PREFIX = "inbox:activity:"  # then the account, the activity's type and its id
CACHE_TTL_SECONDS = 120

# Enough for a rep to recognise the activity in a list; the detail view has the rest.
SUMMARY_FIELDS: dict[str, Any] = {
    "subject": True,
    "owner_id": True,  # whose it is now: a row another owner has in HubSpot is not listed
    "occurred_at": True,
    "contacts": {"__all__": {"id", "name", "email"}},
    "companies": {"__all__": {"id", "name"}},
}


def current_activities(
    client: HubSpotClient, rows: Iterable[RunRow]
) -> dict[ActivityKey, dict[str, Any]]:
    """A summary of each row's activity as HubSpot has it now, by (type, id).

    Activities HubSpot no longer has, and rows of no known activity type, are absent.
    Raises ``HubSpotError`` when HubSpot cannot be read.
    """
    ids_by_kind: dict[ActivityKind, list[str]] = defaultdict(list)
    for row in rows:
        kind = KIND_BY_NAME.get(row.activity_type or "")
        if kind is not None:
            ids_by_kind[kind].append(row.activity_id)
    return {
        (kind.name, activity_id): activity.model_dump(mode="json", include=SUMMARY_FIELDS)
        for kind, ids in ids_by_kind.items()
        for activity_id, activity in fetch_activities(client, kind, ids).items()
    }


def with_activities(
    rows: Sequence[RunRow], current: dict[ActivityKey, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows as JSON, each with ``activity``: its summary from ``current``, or None."""
    return [{**json_row(row), "activity": summary_of(row, current)} for row in rows]


def summary_of(row: RunRow, current: dict[ActivityKey, dict[str, Any]]) -> dict[str, Any] | None:
    key = _key(row)
    return current.get(key) if key else None


class ActivitySummaries:
    """``current_activities`` of one account (``client`` acts for ``portal_id``) behind a
    short-lived Redis cache (absent activities included)."""

    def __init__(self, client: HubSpotClient, cache: redis.Redis, portal_id: int) -> None:
        self.client = client
        self.cache = cache
        self.portal_id = portal_id

    def current(self, rows: list[RunRow]) -> dict[ActivityKey, dict[str, Any]]:
        keys = list(dict.fromkeys(key for row in rows if (key := _key(row))))
        if not keys:
            return {}
        stored = self.cache.mget([_cache_key(self.portal_id, *key) for key in keys])
        cached = dict(zip(keys, stored, strict=True))
        missing = {key for key, value in cached.items() if value is None}
        fetched = current_activities(self.client, [row for row in rows if _key(row) in missing])
        self._remember({key: fetched.get(key) for key in missing})
        found = {key: json.loads(value) for key, value in cached.items() if value is not None}
        return {key: summary for key, summary in {**found, **fetched}.items() if summary}

    def _remember(self, summaries: dict[ActivityKey, dict[str, Any] | None]) -> None:
        pipe = self.cache.pipeline(transaction=False)
        for key, summary in summaries.items():
            pipe.set(_cache_key(self.portal_id, *key), json.dumps(summary), ex=CACHE_TTL_SECONDS)
        pipe.execute()


def forget_summary(
    cache: redis.Redis, portal_id: int, activity_type: str, activity_id: str
) -> None:
    cache.delete(_cache_key(portal_id, activity_type, activity_id))


def _key(row: RunRow) -> ActivityKey | None:
    """The row's activity, if it is of a type HubSpot's activities API knows."""
    if row.activity_type is None or row.activity_type not in KIND_BY_NAME:
        return None
    return (row.activity_type, row.activity_id)


def _cache_key(portal_id: int, activity_type: str, activity_id: str) -> str:
    # The id last: a privacy deletion drops {CACHE_PREFIX}*:{id} (shared/pipeline/privacy.py).
    return f"{CACHE_PREFIX}{portal_id}:{activity_type}:{activity_id}"
