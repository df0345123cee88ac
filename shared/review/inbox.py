"""A rep's inbox rows with their activities as HubSpot has them now.

The database keeps no copy of CRM records, so a page that wants them reads HubSpot at
request time: one ``fetch_activities`` per activity type on the page (a few batch calls),
never one GET per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from shared.hubspot.fetch import fetch_activities
from shared.hubspot.models import KIND_BY_NAME, ActivityKind

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

# (activity_type, activity_id): HubSpot names an object by its type and id together.
ActivityKey = tuple[str, str]

# Enough for a rep to recognise the activity in a list; the detail view has the rest.
SUMMARY_FIELDS: dict[str, Any] = {
    "subject": True,
    "occurred_at": True,
    "contacts": {"__all__": {"id", "name", "email"}},
    "companies": {"__all__": {"id", "name"}},
}


def current_activities(
    client: HubSpotClient, rows: Iterable[dict[str, Any]]
) -> dict[ActivityKey, dict[str, Any]]:
    """A summary of each row's activity as HubSpot has it now, by (type, id).

    Activities HubSpot no longer has, and rows of no known activity type, are absent.
    Raises ``HubSpotError`` when HubSpot cannot be read.
    """
    ids_by_kind: dict[ActivityKind, list[str]] = defaultdict(list)
    for row in rows:
        kind = KIND_BY_NAME.get(row["activity_type"] or "")
        if kind is not None:
            ids_by_kind[kind].append(row["activity_id"])
    return {
        (kind.name, activity_id): activity.model_dump(mode="json", include=SUMMARY_FIELDS)
        for kind, ids in ids_by_kind.items()
        for activity_id, activity in fetch_activities(client, kind, ids).items()
    }


def with_activities(
    rows: list[dict[str, Any]], current: dict[ActivityKey, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows, each with ``activity``: its summary from ``current``, or None."""
    return [
        {**row, "activity": current.get((row["activity_type"], row["activity_id"]))} for row in rows
    ]
