"""Every HubSpot call the service makes: method, date-versioned path, object types, scopes.

The client builds each request from this table and refuses an object type an operation
does not declare, so the table is the whole of what the service asks of HubSpot. The
developer-platform app in ``hubspot-app/`` requests exactly the scopes derived from it
(``required_scopes``), and its tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from shared.hubspot.models import KINDS

ACTIVITY_TYPES = frozenset(kind.object_type for kind in KINDS)
RECORD_TYPES = frozenset({"contacts", "companies"})
DEAL_TYPES = frozenset({"deals"})
OWNERS_SCOPE = "crm.objects.owners.read"

# HubSpot files every activity type under the contacts scopes (its guides for calls, notes,
# tasks, meetings and emails list crm.objects.contacts.read/write). Email bodies are redacted
# without sales-email-read, and the body is what the suggestions are made from.
_READ_SCOPES: dict[str, tuple[str, ...]] = {
    **{object_type: ("crm.objects.contacts.read",) for object_type in ACTIVITY_TYPES},
    "emails": ("crm.objects.contacts.read", "sales-email-read"),
    "contacts": ("crm.objects.contacts.read",),
    "companies": ("crm.objects.companies.read",),
    "deals": ("crm.objects.deals.read",),
}
_WRITE_SCOPES: dict[str, tuple[str, ...]] = {
    "tasks": ("crm.objects.contacts.write",),
}


class UndeclaredCall(ValueError):
    """A call the table does not allow: an unknown operation or an undeclared object type."""


@dataclass(frozen=True)
class Operation:
    """One kind of HubSpot request; ``name`` is what metrics and call counts report."""

    name: str
    method: Literal["GET", "POST", "PATCH"]
    path: str  # placeholders: {version}, {object_type}, {to_type}, {object_id}
    object_types: frozenset[str] = frozenset()
    to_types: frozenset[str] = frozenset()
    writes: bool = False
    scopes: tuple[str, ...] = field(default=())

    def required_scopes(self) -> set[str]:
        """What the access token must carry for every call this operation may make."""
        needed = set(self.scopes)
        for object_type in self.object_types:
            table = _WRITE_SCOPES if self.writes else _READ_SCOPES
            needed.update(table[object_type])
        for to_type in self.to_types:
            needed.update(_READ_SCOPES[to_type])
        return needed

    def path_for(self, version: str, **parts: str) -> str:
        """The request path, after checking each object type against the declared ones."""
        self._check("object_type", parts.get("object_type"), self.object_types)
        self._check("to_type", parts.get("to_type"), self.to_types)
        escaped = {name: quote(str(value), safe="") for name, value in parts.items()}
        return self.path.format(version=quote(version, safe=""), **escaped)

    def _check(self, part: str, value: str | None, declared: frozenset[str]) -> None:
        if value is None and f"{{{part}}}" not in self.path:
            return
        if value not in declared:
            raise UndeclaredCall(
                f"{self.name}: {part} {value!r} is not one of {sorted(declared)} "
                "(declare it in shared/hubspot/operations.py)"
            )


OPERATIONS: dict[str, Operation] = {
    operation.name: operation
    for operation in (
        Operation(
            "get",
            "GET",
            "/crm/objects/{version}/{object_type}/{object_id}",
            object_types=ACTIVITY_TYPES,
            to_types=RECORD_TYPES,  # read with the ids of its contacts and companies
        ),
        Operation(
            "batch_read",
            "POST",
            "/crm/objects/{version}/{object_type}/batch/read",
            object_types=ACTIVITY_TYPES | RECORD_TYPES | DEAL_TYPES,
        ),
        Operation(
            "associations",
            "POST",
            "/crm/associations/{version}/{object_type}/{to_type}/batch/read",
            # an activity's records and deals; a contact's, company's or deal's activities
            object_types=ACTIVITY_TYPES | RECORD_TYPES | DEAL_TYPES,
            to_types=RECORD_TYPES | DEAL_TYPES | ACTIVITY_TYPES,
        ),
        Operation(
            "search",
            "POST",
            "/crm/objects/{version}/{object_type}/search",
            object_types=ACTIVITY_TYPES | RECORD_TYPES,  # the API's CRM reads search both
        ),
        Operation(
            "update",
            "PATCH",
            "/crm/objects/{version}/{object_type}/{object_id}",
            object_types=frozenset({"tasks"}),
            writes=True,
        ),
        Operation(
            "create",
            "POST",
            "/crm/objects/{version}/{object_type}",
            object_types=frozenset({"tasks"}),
            writes=True,
        ),
        Operation("owners", "GET", "/crm/owners/{version}", scopes=(OWNERS_SCOPE,)),
        # Any valid token may read its account's details; no scope is listed for it.
        Operation("account_details", "GET", "/account-info/{version}/details"),
    )
}


def operation(name: str) -> Operation:
    try:
        return OPERATIONS[name]
    except KeyError:
        raise UndeclaredCall(f"no HubSpot operation named {name!r}") from None


def required_scopes() -> set[str]:
    """Every scope some call of the service needs: what the app must request, no more."""
    return set().union(*(op.required_scopes() for op in OPERATIONS.values()))
