"""A CRM record's open suggestions: the rep's runs of the activities HubSpot associates with
one contact, company or deal (what the app card on that record lists).

The associations are read from HubSpot at request time, one batch-association call per
activity type, because the database keeps no copy of the CRM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import redis

from shared.hubspot.models import KINDS
from shared.review.inbox import ActivitySummaries, summary_of
from shared.store.review import RepOwner, ReviewFunctions
from shared.store.rows import JsonObject, RunRow, json_row

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

RECORD_TYPES = ("contacts", "companies", "deals")


def associated_activities(client: HubSpotClient, record_type: str, record_id: str) -> list[str]:
    """Ids of every activity HubSpot associates with the record, of each type we process."""
    ids: list[str] = []
    for kind in KINDS:
        links = client.associated_ids(record_type, kind.object_type, [record_id])
        ids += links.get(record_id, [])
    return ids


def record_suggestions(
    client: HubSpotClient,
    cache: redis.Redis,
    store: ReviewFunctions,
    owner: RepOwner,
    record: tuple[str, str],
) -> list[dict[str, Any]]:
    """The owner's open runs on the record's activities, newest first, each with its
    activity as HubSpot has it now, its drafts and its recommendation; ``client`` acts for
    the owner's account, whose record it is. A run whose activity HubSpot now gives another
    owner is left out, as in the inbox. Raises ``HubSpotError`` when HubSpot cannot be read."""
    found = store.record_runs(owner, associated_activities(client, *record))
    rows = [RunRow.from_json(run) for run in found]
    current = ActivitySummaries(client, cache, owner.portal_id).current(rows)
    listed = [(row, run, summary_of(row, current)) for row, run in zip(rows, found, strict=True)]
    mine = [(row, run, summary) for row, run, summary in listed if _mine(summary, owner.owner_id)]
    return [_suggestion(row, run, summary) for row, run, summary in mine]


def _mine(summary: dict[str, Any] | None, owner: str) -> bool:
    # A summary cached before summaries carried the owner says nothing either way.
    return summary is None or summary.get("owner_id", owner) == owner


def _suggestion(row: RunRow, run: JsonObject, summary: dict[str, Any] | None) -> dict[str, Any]:
    return {
        **json_row(row),
        "activity": summary,
        "drafts": run["drafts"],
        "recommendation": run["recommendation"],
    }
