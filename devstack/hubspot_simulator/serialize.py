"""Stored records as HubSpot's JSON: SimplePublicObject, its associations, owners, account."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devstack.hubspot_simulator.associations import type_between
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.config import AccountSettings
from devstack.hubspot_simulator.objects import ObjectType
from devstack.hubspot_simulator.store import CrmStore, StoredObject


def object_json(
    record: StoredObject,
    properties: list[str] | None = None,
    associations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`properties=None` answers every stored property, as create and update responses do."""
    body: dict[str, Any] = {
        "id": record.id,
        "properties": _selected(record, properties),
        "createdAt": iso_ms(record.created_at),
        "updatedAt": iso_ms(record.updated_at),
        "archived": record.archived,
    }
    if record.archived_at is not None:
        body["archivedAt"] = iso_ms(record.archived_at)
    if associations:
        body["associations"] = associations
    return body


def read_json(
    record: StoredObject, requested: list[str], associations: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A read answer: the requested properties plus the ones HubSpot always returns.

    With nothing requested HubSpot answers the type's default set. A requested property the
    type defines but the record lacks comes back as null, as HubSpot does; unknown names are
    left out.
    """
    object_type = record.object_type
    if not requested:
        names = list(object_type.default_read)
    else:
        wanted = set(requested) & (object_type.properties | set(object_type.always_returned))
        names = sorted(wanted | set(object_type.always_returned))
    return object_json(record, names, associations)


def object_associations(
    store: CrmStore, record: StoredObject, to_types: list[ObjectType]
) -> dict[str, Any]:
    """In an object read: `{"contacts": {"results": [{"id": "1", "type": "note_to_contact"}]}}`.

    Types with no associations are left out, as HubSpot does.
    """
    found: dict[str, Any] = {}
    for to_type in to_types:
        association = type_between(record.object_type.singular, to_type.singular)
        ids = store.linked((record.object_type.singular, record.id), to_type.singular)
        if association is not None and ids:
            results = [{"id": to_id, "type": association.name} for to_id in ids]
            found[to_type.name] = {"results": results}
    return found


def owner_json(owner: dict[str, Any]) -> dict[str, Any]:
    """PublicOwner; the stored fixture fields plus the ones HubSpot always sends."""
    return {
        "id": str(owner["id"]),
        "email": owner.get("email"),
        "type": "PERSON",
        "firstName": owner.get("firstName", ""),
        "lastName": owner.get("lastName", ""),
        "userId": owner.get("userId"),
        "userIdIncludingInactive": owner.get("userId"),
        "createdAt": owner["createdAt"],
        "updatedAt": owner["updatedAt"],
        "archived": False,
        "teams": owner.get("teams", []),
    }


def account_json(settings: AccountSettings) -> dict[str, Any]:
    """PortalInformationResponse: the account's id, time zone and currency."""
    offset = datetime.now(UTC).astimezone(account_zone(settings)).utcoffset()
    offset_ms = int(offset.total_seconds() * 1000) if offset else 0
    sign, minutes = ("-" if offset_ms < 0 else "+"), abs(offset_ms) // 60_000
    return {
        "portalId": settings.portal_id,
        "accountType": "STANDARD",
        "timeZone": settings.time_zone,
        "companyCurrency": settings.company_currency,
        "additionalCurrencies": [],
        "dataHostingLocation": "na1",
        "uiDomain": "app.hubspot.com",
        "utcOffset": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
        "utcOffsetMilliseconds": offset_ms,
    }


def account_zone(settings: AccountSettings) -> tzinfo:
    """The account's zone; UTC for a name Python does not know (tests make one up)."""
    try:
        return ZoneInfo(settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _selected(record: StoredObject, names: list[str] | None) -> dict[str, str | None]:
    if names is None:
        return dict(sorted(record.properties.items()))
    return {name: record.properties.get(name) for name in names}
