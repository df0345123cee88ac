"""Fetch many activities with few calls: batch reads instead of one GET each.

For up to ``batch_size`` activities of one type: one batch read of the activities, one
batch association read each for contacts and companies, and one batch read each of those
records — five calls, however many activities share them. A lone activity takes one GET
with its associations instead of the first three.

With ``cache`` (the account's Redis cache) the activities come with their context
(``shared.hubspot.context``): one more association read for their deals, and records, deals
and histories read through the shared caches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from shared.account_keys import AccountCache
from shared.hubspot.context import add_context
from shared.hubspot.errors import ObjectNotFound
from shared.hubspot.history import HistoryCache
from shared.hubspot.models import Activity, ActivityKind
from shared.hubspot.parse import parse_activity
from shared.hubspot.records import (
    COMPANIES,
    CONTACTS,
    CachedRecords,
    DirectRecords,
    Records,
    chunked,
)

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

__all__ = ["chunked", "fetch_activities"]

Links = dict[str, dict[str, list[str]]]  # to type -> activity id -> target ids
PEOPLE = ("contacts", "companies")


def fetch_activities(
    client: HubSpotClient, kind: ActivityKind, ids: Iterable[str], cache: AccountCache | None = None
) -> dict[str, Activity]:
    """The activities that exist, by id; ids HubSpot doesn't know (deleted, gone) are absent.

    With ``cache``, each also carries its history and open deal.
    """
    records: Records = CachedRecords(client, cache) if cache is not None else DirectRecords(client)
    activities: dict[str, Activity] = {}
    for chunk in chunked(list(dict.fromkeys(ids)), client.batch_size):
        objects, links = _objects_and_links(client, kind, chunk)
        found = _parsed(kind, objects, links, records)
        if cache is not None and found:
            history = HistoryCache(client, cache)
            found = add_context(client, kind.object_type, found, records, history)
        activities.update(found)
    return activities


def fetch_activity(client: HubSpotClient, kind: ActivityKind, activity_id: str) -> Activity:
    """One activity as HubSpot has it now; ``ObjectNotFound`` when it is gone."""
    found = fetch_activities(client, kind, [activity_id])
    if activity_id not in found:
        raise ObjectNotFound(f"{kind.name} {activity_id} not found", status=404)
    return found[activity_id]


def _parsed(
    kind: ActivityKind, objects: list[dict[str, Any]], links: Links, records: Records
) -> dict[str, Activity]:
    contacts = records.read(CONTACTS, _targets(links["contacts"]))
    companies = records.read(COMPANIES, _targets(links["companies"]))
    parsed: dict[str, Activity] = {}
    for obj in objects:
        activity_id = str(obj["id"])
        parsed[activity_id] = parse_activity(
            kind,
            obj,
            [contacts[c] for c in links["contacts"].get(activity_id, []) if c in contacts],
            [companies[c] for c in links["companies"].get(activity_id, []) if c in companies],
        )
    return parsed


def _objects_and_links(
    client: HubSpotClient, kind: ActivityKind, chunk: list[str]
) -> tuple[list[dict[str, Any]], Links]:
    """The chunk's objects and the ids of their contacts and companies.

    A lone activity (the common case when events trickle in) is one GET with its
    associations; more take a batch read and one batch association read per type.
    """
    if len(chunk) == 1:
        found = client.read_with_links(kind.object_type, chunk[0], kind.properties)
        if found is None:
            return [], {to: {} for to in PEOPLE}
        obj, links = found
        return [obj], {to: {chunk[0]: links[to]} for to in PEOPLE}
    objects = client.batch_read(kind.object_type, chunk, kind.properties)
    present = [str(obj["id"]) for obj in objects]
    if not present:
        return [], {to: {} for to in PEOPLE}
    return objects, {to: client.associated_ids(kind.object_type, to, present) for to in PEOPLE}


def _targets(links: dict[str, list[str]]) -> list[str]:
    return list(dict.fromkeys(target for targets in links.values() for target in targets))
