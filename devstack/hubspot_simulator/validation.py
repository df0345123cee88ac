"""Checks HubSpot makes on writes: known properties, enum options, dates, owners, associations.

Every problem in one request is reported together, as HubSpot's VALIDATION_ERROR does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devstack.hubspot_simulator.associations import HUBSPOT_DEFINED, type_by_id
from devstack.hubspot_simulator.clock import iso_ms, parse_datetime
from devstack.hubspot_simulator.errors import property_error, validation_error
from devstack.hubspot_simulator.objects import (
    DATETIME_PROPERTIES,
    NOTE_BODY_MAX_CHARS,
    ObjectType,
)
from devstack.hubspot_simulator.store import ObjectKey

READ_ONLY = frozenset(
    {"hs_object_id", "hs_lastmodifieddate", "lastmodifieddate", "hs_is_closed", "hs_is_closed_won"}
)


def clean_properties(
    object_type: ObjectType,
    raw: Any,
    *,
    creating: bool,
    is_owner: Callable[[str], bool],
    strict: bool = True,
    also_required: tuple[str, ...] = (),
) -> dict[str, str]:
    """HubSpot stores every property value as a string; answers them or raises a 400.

    ``also_required``: what the request's API version and the portal's rules add to the
    type's own required properties on create.
    """
    if not isinstance(raw, dict):
        raise validation_error("Invalid input JSON: `properties` must be an object.")
    values = {str(name): _as_string(name, value) for name, value in raw.items()}
    problems = [
        problem
        for name, value in values.items()
        if (problem := _check(object_type, name, value, strict, is_owner)) is not None
    ]
    if creating:
        problems += [
            property_error(f"{name} is required", "REQUIRED_FIELD", name)
            for name in dict.fromkeys((*object_type.required, *also_required))
            if not values.get(name)
        ]
    if problems:
        detail = "; ".join(problem["message"] for problem in problems)
        raise validation_error(f"Property values were not valid: {detail}", problems)
    return {name: _normalise(name, value) for name, value in values.items()}


def clean_associations(
    object_type: ObjectType, raw: Any, exists: Callable[[ObjectKey], bool]
) -> list[ObjectKey]:
    """The objects a create request links to, from HubSpot's `associations` create shape."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise validation_error("Invalid input JSON: `associations` must be a list.")
    return [_association_target(object_type, item, exists) for item in raw]


def _association_target(
    object_type: ObjectType, item: Any, exists: Callable[[ObjectKey], bool]
) -> ObjectKey:
    try:
        to_id = str(item["to"]["id"])
        specs = [(t["associationCategory"], int(t["associationTypeId"])) for t in item["types"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise validation_error(f"Invalid association input: {item!r}") from exc
    if not specs:
        raise validation_error(f"An association needs at least one type: {item!r}")
    to_types = {_association_type(object_type, *spec) for spec in specs}
    if len(to_types) != 1:
        raise validation_error(f"Association types point at different object types: {item!r}")
    to_type = to_types.pop()
    if not exists((to_type, to_id)):
        raise validation_error(f"Association target {to_type} {to_id} does not exist.")
    return (to_type, to_id)


def _association_type(object_type: ObjectType, category: str, type_id: int) -> str:
    """The singular type name an association type leads to, checked against its start."""
    association = type_by_id(type_id)
    if category != HUBSPOT_DEFINED or association is None:
        raise validation_error(f"Unknown association type {category}/{type_id}.")
    if association.from_type != object_type.singular:
        raise validation_error(f"{association.name} cannot start at a {object_type.singular}.")
    return association.to_type


def _as_string(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise validation_error(f"Property values were not valid: {name} must be a scalar")


def _check(
    object_type: ObjectType, name: str, value: str, strict: bool, is_owner: Callable[[str], bool]
) -> dict[str, Any] | None:
    if name in READ_ONLY:
        return property_error(f"{name} is a read only property", "READ_ONLY_VALUE", name)
    if strict and name not in object_type.properties:
        return property_error(f'Property "{name}" does not exist', "PROPERTY_DOESNT_EXIST", name)
    allowed = object_type.enums.get(name)
    if value and allowed is not None and value not in allowed:
        options = ", ".join(sorted(allowed))
        message = f"{value} was not one of the allowed options for {name}: [{options}]"
        return property_error(message, "INVALID_OPTION", name)
    return _check_value(name, value, is_owner)


def _check_value(name: str, value: str, is_owner: Callable[[str], bool]) -> dict[str, Any] | None:
    if value and name in DATETIME_PROPERTIES and parse_datetime(value) is None:
        return property_error(f"{value} is not a valid datetime for {name}", "INVALID_DATE", name)
    if name == "hs_note_body" and len(value) > NOTE_BODY_MAX_CHARS:
        return property_error("hs_note_body is too long", "INVALID_LENGTH", name)
    if name == "hubspot_owner_id" and value and not is_owner(value):
        return property_error(f"{value} is not a valid owner id", "INVALID_OWNER_ID", name)
    return None


def _normalise(name: str, value: str) -> str:
    """Datetimes are stored and returned as ISO-8601 UTC with milliseconds, as HubSpot does."""
    moment = parse_datetime(value) if value and name in DATETIME_PROPERTIES else None
    return iso_ms(moment) if moment is not None else value
