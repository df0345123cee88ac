"""The CRM search endpoint's filtering, sorting and offset paging, over stored records.

Filter groups are ORed, filters inside a group ANDed. Datetime properties compare as
instants, whether the filter value is epoch milliseconds or ISO-8601 (both are accepted by
HubSpot); numeric strings compare as numbers; anything else case-insensitively as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devstack.hubspot_simulator.clock import parse_datetime, to_ms
from devstack.hubspot_simulator.errors import validation_error
from devstack.hubspot_simulator.objects import DATETIME_PROPERTIES
from devstack.hubspot_simulator.store import StoredObject

MAX_GROUPS, MAX_FILTERS_PER_GROUP, MAX_FILTERS = 5, 6, 18
MAX_LIMIT, DEFAULT_LIMIT = 200, 10
# HubSpot refuses to page a search past its 10,000th result.
MAX_RESULTS = 10_000
COMPARISONS = ("EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN")
OPERATORS = frozenset(
    (*COMPARISONS, "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN")
)
Key = tuple[int, float | str]


@dataclass(frozen=True)
class SearchPage:
    results: list[StoredObject]
    total: int
    next_after: str | None


def run_search(records: list[StoredObject], body: dict[str, Any]) -> SearchPage:
    """One page of the records matching a search request body."""
    matched = _matching(records, body)
    for name, descending in reversed(_sorts(body.get("sorts") or [])):
        matched.sort(key=lambda record, name=name: _sort_key(record, name), reverse=descending)
    limit, offset = _paging(body)
    next_after = str(offset + limit) if offset + limit < len(matched) else None
    return SearchPage(matched[offset : offset + limit], len(matched), next_after)


def _matching(records: list[StoredObject], body: dict[str, Any]) -> list[StoredObject]:
    groups = _filter_groups(body.get("filterGroups") or [])
    query = str(body.get("query") or "").casefold()
    return [
        record
        for record in records
        if (not groups or any(all(_matches(record, f) for f in group) for group in groups))
        and (not query or any(query in v.casefold() for v in record.properties.values()))
    ]


def _filter_groups(groups: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise validation_error(f"filterGroups must be a list of at most {MAX_GROUPS} groups.")
    parsed = [group.get("filters") if isinstance(group, dict) else None for group in groups]
    if any(not isinstance(f, list) or len(f) > MAX_FILTERS_PER_GROUP for f in parsed):
        raise validation_error(f"Each filter group takes 1-{MAX_FILTERS_PER_GROUP} filters.")
    if sum(len(filters) for filters in parsed) > MAX_FILTERS:
        raise validation_error(f"A search takes at most {MAX_FILTERS} filters.")
    for filters in parsed:
        for flt in filters:
            _check_filter(flt)
    return parsed


def _check_filter(flt: Any) -> None:
    if not isinstance(flt, dict) or not flt.get("propertyName"):
        raise validation_error(f"Invalid filter: {flt!r}")
    if flt.get("operator") not in OPERATORS:
        raise validation_error(f"Unknown filter operator: {flt.get('operator')!r}")
    if flt["operator"] == "BETWEEN" and ("value" not in flt or "highValue" not in flt):
        raise validation_error("BETWEEN needs value and highValue.")
    if flt["operator"] in ("IN", "NOT_IN") and not isinstance(flt.get("values"), list):
        raise validation_error(f"{flt['operator']} needs a values list.")


def _matches(record: StoredObject, flt: dict[str, Any]) -> bool:
    name, operator = flt["propertyName"], flt["operator"]
    actual = record.properties.get(name) or ""
    if operator in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
        return bool(actual) == (operator == "HAS_PROPERTY")
    if operator in ("IN", "NOT_IN"):
        found = any(_key(name, actual) == _key(name, str(v)) for v in flt["values"])
        return bool(actual) and found if operator == "IN" else not found
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        token = str(flt.get("value", "")).strip("*").casefold()
        return (token in actual.casefold()) == (operator == "CONTAINS_TOKEN")
    if not actual:
        return operator == "NEQ"
    return _compare(operator, _key(name, actual), flt)


def _compare(operator: str, actual: Key, flt: dict[str, Any]) -> bool:
    name = flt["propertyName"]
    value = _key(name, str(flt.get("value", "")))
    if operator == "BETWEEN":
        return value <= actual <= _key(name, str(flt["highValue"]))
    results = {
        "EQ": actual == value,
        "NEQ": actual != value,
        "LT": actual < value,
        "LTE": actual <= value,
        "GT": actual > value,
        "GTE": actual >= value,
    }
    return results[operator]


def _key(name: str, value: str) -> Key:
    """Comparable form of a value; the leading int keeps numbers and text apart."""
    moment = parse_datetime(value) if name in DATETIME_PROPERTIES else None
    if moment is not None:
        return (0, float(to_ms(moment)))
    try:
        return (0, float(value))
    except ValueError:
        return (1, value.casefold())


def _sort_key(record: StoredObject, name: str) -> tuple[bool, Key]:
    value = record.properties.get(name)
    return (value is None, _key(name, value or ""))


def _sorts(sorts: Any) -> list[tuple[str, bool]]:
    """Sorts as `{"propertyName", "direction"}` objects, or strings with "-" for descending."""
    if not isinstance(sorts, list):
        raise validation_error("sorts must be a list.")
    parsed = []
    for sort in sorts:
        if isinstance(sort, str):
            parsed.append((sort.lstrip("-"), sort.startswith("-")))
        elif isinstance(sort, dict) and sort.get("propertyName"):
            parsed.append((sort["propertyName"], sort.get("direction") == "DESCENDING"))
        else:
            raise validation_error(f"Invalid sort: {sort!r}")
    return parsed


def _paging(body: dict[str, Any]) -> tuple[int, int]:
    try:
        limit = int(body.get("limit") or DEFAULT_LIMIT)
        offset = int(body.get("after") or 0)
    except (TypeError, ValueError) as exc:
        raise validation_error("limit and after must be integers.") from exc
    if not 0 < limit <= MAX_LIMIT or offset < 0:
        raise validation_error(f"limit must be between 1 and {MAX_LIMIT}.")
    if offset >= MAX_RESULTS:
        raise validation_error(f"Search results are limited to {MAX_RESULTS}.")
    return limit, offset
