"""Loading a portal's worth of data from one JSON document (demo_data.json is the example).

Shape::

    {"owners":     [{"id": "71000001", "email": "...", "firstName": "...", "lastName": "...",
                     "userId": 9100001}],
     "companies":  [{"key": "northwind", "properties": {"name": "...", "domain": "..."}}],
     "contacts":   [{"key": "dana", "properties": {...}, "companies": ["northwind"]}],
     "deals":      [{"key": "renewal", "properties": {"dealname": "...", "dealstage": "..."},
                     "contacts": ["dana"], "companies": ["northwind"]}],
     "activities": [{"type": "calls", "properties": {...}, "contacts": ["dana"],
                     "companies": ["northwind"], "deals": ["renewal"],
                     "associations": [<HubSpot create shape>]}]}

They load in that order. `contacts`/`companies`/`deals` lists name a `key` given earlier in the
same document, or the id of an object that already exists.

Relative times keep the demo fresh: any datetime property (`hs_timestamp`,
`hs_meeting_start_time`, ...) may be written relative to load time as `now`, or a signed
amount of minutes, hours, days or weeks (`-90m`, `+3h`, `-2d`, `+1w`), optionally followed by
a UTC time of day (`+2d@15:00`). Everything else is stored as written and validated like an
API create, so a broken fixture fails with the same 400 an API caller would get.

Loading fires no webhooks unless asked (`emit_webhooks`): fixtures stand for history that
existed before the app was installed. `POST /_admin/activities` always fires them.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from devstack.hubspot_simulator.account import UI_SOURCE, Account
from devstack.hubspot_simulator.associations import HUBSPOT_DEFINED, type_between
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.errors import validation_error
from devstack.hubspot_simulator.objects import DATETIME_PROPERTIES, find_object_type
from devstack.hubspot_simulator.store import StoredObject

_RELATIVE = re.compile(
    r"^(?:now|(?P<sign>[+-])(?P<amount>\d+)(?P<unit>[mhdw]))(?:@(?P<hm>\d\d:\d\d))?$"
)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_LINKED = (("contact", "contacts"), ("company", "companies"), ("deal", "deals"))


def demo_data() -> dict[str, Any]:
    """The shipped demo portal."""
    text = resources.files(__package__).joinpath("demo_data.json").read_text(encoding="utf-8")
    return json.loads(text)


def load_fixtures(account: Account, data: Any, emit_webhooks: bool = False) -> dict[str, Any]:
    """Load a fixtures document into an account; answers counts per section and the ids given
    to each key."""
    if not isinstance(data, dict):
        raise validation_error("Fixtures must be a JSON object.")
    for owner in _section(data, "owners"):
        account.add_owner(owner)
    keys: dict[str, str] = {}
    for section in ("companies", "contacts", "deals"):
        for item in _section(data, section):
            record = create_from_item(account, {**item, "type": section}, keys, emit_webhooks)
            if item.get("key"):
                keys[str(item["key"])] = record.id
    for item in _section(data, "activities"):
        create_from_item(account, item, keys, emit_webhooks)
    sections = ("owners", "companies", "contacts", "deals")
    counts = {name: len(_section(data, name)) for name in sections}
    return {**counts, "activities": len(_section(data, "activities")), "keys": keys}


def create_from_item(
    account: Account, item: Any, keys: dict[str, str], emit: bool = True
) -> StoredObject:
    """Create one object from a fixture item, as a rep would in the CRM UI."""
    if not isinstance(item, dict):
        raise validation_error(f"Expected an object, got {item!r}")
    object_type = find_object_type(str(item.get("type", "")))
    if object_type is None:
        raise validation_error(f"Unknown object type {item.get('type')!r}")
    links = [
        _association(object_type.singular, to_singular, keys.get(str(ref), str(ref)))
        for to_singular, section in _LINKED
        for ref in item.get(section, [])
    ]
    given = item.get("associations") or []
    if not isinstance(given, list):
        raise validation_error("`associations` must be a list.")
    body = {
        "properties": resolve_times(item.get("properties") or {}),
        "associations": given + links,
    }
    source = str(item.get("changeSource") or UI_SOURCE)
    return account.create(object_type, body, source=source, emit=emit)


def resolve_times(properties: Any, now: datetime | None = None) -> Any:
    """Relative datetime values turned into ISO-8601, relative to `now`."""
    if not isinstance(properties, dict):
        return properties  # validation reports it as a 400
    now = now or datetime.now(UTC)
    return {
        name: _resolve(value, now) if name in DATETIME_PROPERTIES else value
        for name, value in properties.items()
    }


def _resolve(value: Any, now: datetime) -> Any:
    match = _RELATIVE.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    moment = now
    if match["sign"]:
        delta = timedelta(**{_UNITS[match["unit"]]: int(match["amount"])})
        moment = now + delta if match["sign"] == "+" else now - delta
    if match["hm"]:
        hour, minute = (int(part) for part in match["hm"].split(":"))
        moment = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return iso_ms(moment)


def _association(from_singular: str, to_singular: str, to_id: str) -> dict[str, Any]:
    association = type_between(from_singular, to_singular)
    if association is None:
        raise validation_error(f"A {from_singular} cannot be associated with a {to_singular}.")
    spec = {"associationCategory": HUBSPOT_DEFINED, "associationTypeId": association.type_id}
    return {"to": {"id": to_id}, "types": [spec]}


def _section(data: dict[str, Any], name: str) -> list[Any]:
    section = data.get(name, [])
    if not isinstance(section, list):
        raise validation_error(f"Fixtures section {name!r} must be a list.")
    return section
