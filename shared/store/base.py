"""The values that cross the store, and the one thing each adapter provides: a way to call
one of the SQL functions the migrations define."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.hubspot.models import Activity


@dataclass(frozen=True)
class QueuedRun:
    run_id: uuid.UUID
    status: str
    needs_processing: bool


@dataclass(frozen=True)
class RunResults:
    """A completed run's output, as plain JSON values."""

    drafts: list[dict[str, Any]]
    recommendation: dict[str, Any] | None  # None: no follow-up (the run is flagged)
    opportunity: dict[str, Any] | None
    scores: dict[str, Any]
    flag: str | None = None  # opt_out, legal or hostile: what the rep must know first
    flag_reason: str | None = None


class FunctionCaller(ABC):
    @abstractmethod
    def rpc(self, function: str, params: dict[str, Any]) -> Any:
        """Call ``public.<function>`` with named parameters: a list of row dicts for
        set-returning functions, the value itself for scalar ones."""

    @abstractmethod
    def close(self) -> None:
        """Release the adapter's connections."""


def input_notes(activity: Activity) -> str:
    """What the model was given, kept with the run (the activity itself stays in HubSpot)."""
    return "\n\n".join(part for part in (activity.subject, activity.body) if part)[:20_000]


def as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def as_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def as_json_value(value: Any) -> Any:
    """What PostgREST would have sent: uuids and times as strings, numerics as numbers, so
    both stores answer alike."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
