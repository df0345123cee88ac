"""HubSpot's date-based API versions: which the simulator serves, and what each enforces.

Every CRM path carries its version (`/crm/objects/2026-03/notes`). A version HubSpot does
not serve is answered like any path it does not know: a 404 whose error names no category,
so a client can tell it from a missing object (`OBJECT_NOT_FOUND`).
"""

from __future__ import annotations

from typing import Any

from flask import g

from devstack.hubspot_simulator.errors import ApiError

SERVED_VERSIONS = ("2026-03", "2026-09")
# From this version on, writes are validated as HubSpot announced for 2026-09: conditionally
# required properties are enforced and a write without them is a 400 VALIDATION_ERROR.
WRITE_VALIDATION_FROM = "2026-09"


def take_version(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """URL value preprocessor: the path's version leaves the view arguments for `g`."""
    version = (values or {}).pop("version", None)
    if version not in SERVED_VERSIONS:
        raise ApiError(404, f"No API is served at version {version!r}.", None)
    g.api_version = version


def validates_writes() -> bool:
    """Whether this request's version enforces the 2026-09 write validation."""
    return g.get("api_version", "") >= WRITE_VALIDATION_FROM
