"""Fetch many activities with few calls: batch reads instead of one GET each.

For up to ``batch_size`` activities of one type: one batch read of the activities, one
batch association read each for contacts and companies, and one batch read each of those
records — five calls, however many activities share them. A lone activity takes one GET
with its associations instead of the first three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from shared.hubspot.models import (
    COMPANY_PROPERTIES,
    CONTACT_PROPERTIES,
    Activity,
    ActivityKind,
)
from shared.hubspot.parse import parse_activity, parse_company, parse_contact

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

T = TypeVar("T")


def fetch_activities(
    client: HubSpotClient, kind: ActivityKind, ids: Iterable[str]
) -> dict[str, Activity]:
    """The activities that exist, by id; ids HubSpot doesn't know (deleted, gone) are absent."""
    activities: dict[str, Activity] = {}
    for chunk in chunked(list(dict.fromkeys(ids)), client.batch_size):
        objects, contact_links, company_links = _objects_and_links(client, kind, chunk)
        contacts = _read_records(
            client, "contacts", contact_links, CONTACT_PROPERTIES, parse_contact
        )
        companies = _read_records(
            client, "companies", company_links, COMPANY_PROPERTIES, parse_company
        )
        for obj in objects:
            activity_id = str(obj["id"])
            activities[activity_id] = parse_activity(
                kind,
                obj,
                [contacts[c] for c in contact_links.get(activity_id, []) if c in contacts],
                [companies[c] for c in company_links.get(activity_id, []) if c in companies],
            )
    return activities


def _objects_and_links(
    client: HubSpotClient, kind: ActivityKind, chunk: list[str]
) -> tuple[list[dict], dict[str, list[str]], dict[str, list[str]]]:
    """The chunk's objects and their contact and company ids.

    A lone activity (the common case when events trickle in) is one GET with its
    associations; more take a batch read and two batch association reads.
    """
    if len(chunk) == 1:
        found = client.read_with_links(kind.object_type, chunk[0], kind.properties)
        if found is None:
            return [], {}, {}
        obj, links = found
        return [obj], {chunk[0]: links["contacts"]}, {chunk[0]: links["companies"]}
    objects = client.batch_read(kind.object_type, chunk, kind.properties)
    present = [str(obj["id"]) for obj in objects]
    if not present:
        return [], {}, {}
    return (
        objects,
        client.associated_ids(kind.object_type, "contacts", present),
        client.associated_ids(kind.object_type, "companies", present),
    )


def _read_records(
    client: HubSpotClient,
    object_type: str,
    links: dict[str, list[str]],
    properties: list[str],
    parse: Callable[[dict], T],
) -> dict[str, T]:
    ids = list(dict.fromkeys(target for targets in links.values() for target in targets))
    records: dict[str, T] = {}
    for chunk in chunked(ids, client.batch_size):
        for obj in client.batch_read(object_type, chunk, properties):
            records[str(obj["id"])] = parse(obj)
    return records


def chunked(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
