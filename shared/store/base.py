"""The store interface the workers write through, and the values that cross it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from shared.hubspot.models import Activity

# A run still 'processing' after this long outlived any task time limit: its worker died.
DEFAULT_LEASE_SECONDS = 300


@dataclass(frozen=True)
class QueuedRun:
    log_id: uuid.UUID
    status: str
    needs_processing: bool


@dataclass(frozen=True)
class RunResults:
    """A completed run's output, as plain JSON values."""

    drafts: list[dict[str, Any]]
    recommendation: dict[str, Any]
    opportunity: dict[str, Any] | None
    scores: dict[str, Any]


class RunStore(Protocol):
    def queue_run(self, activity: Activity, retry_failed: bool = False) -> QueuedRun: ...

    def queue_gone(self, activity_id: str, activity_type: str, version: str) -> QueuedRun: ...

    def claim_run(self, log_id: uuid.UUID, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> bool: ...

    def complete_run(self, log_id: uuid.UUID, results: RunResults) -> bool: ...

    def finish_run(
        self,
        log_id: uuid.UUID,
        status: Literal["skipped", "failed"],
        error_class: str,
        message: str,
        scores: dict[str, Any] | None = None,
    ) -> bool: ...


def input_notes(activity: Activity) -> str:
    """What the model was given, kept with the run (the activity itself stays in HubSpot)."""
    return "\n\n".join(part for part in (activity.subject, activity.body) if part)[:20_000]
