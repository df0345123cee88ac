"""Reading request input the way HubSpot does, with its 400 answers for bad input."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from devstack.hubspot_simulator.errors import validation_error
from devstack.hubspot_simulator.objects import ObjectType, object_type_or_400


def json_body() -> Any:
    """The parsed body whatever the Content-Type; HubSpot answers 400 for anything not JSON."""
    raw = request.get_data(as_text=True)
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise validation_error(f"Invalid input JSON on line 1: {exc}") from exc


def list_arg(name: str) -> list[str]:
    """A list parameter, given repeated (`a=1&a=2`) or comma-separated (`a=1,2`, as
    hubspot-sdk sends it)."""
    values = (part.strip() for value in request.args.getlist(name) for part in value.split(","))
    return [value for value in values if value]


def types_arg(name: str) -> list[ObjectType]:
    return [object_type_or_400(value) for value in list_arg(name)]


def int_arg(name: str, default: int, maximum: int) -> int:
    """An integer parameter; above `maximum` it is capped, as HubSpot caps page sizes."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise validation_error(f"{name} must be an integer, got {raw!r}.") from exc
    if value < 1:
        raise validation_error(f"{name} must be positive.")
    return min(value, maximum)


def cursor_arg(name: str = "after") -> int:
    """A paging cursor; the simulator's cursors are numbers (an id or an offset)."""
    raw = request.args.get(name) or "0"
    if not raw.isdigit():
        raise validation_error(f"Invalid paging cursor: {raw!r}")
    return int(raw)


def bool_arg(name: str) -> bool:
    return request.args.get(name, "false").strip().lower() == "true"
