"""The rows the review functions hand up, typed once here from the JSON values both stores
answer (uuids and times as strings), so code above the store reads attributes, not keys.
A row that goes out through the API becomes JSON again in one place: ``json_row``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

from shared.store.base import as_json_value, as_time, as_uuid

ApplyKind = Literal["draft", "recommendation"]
TaskBody = Literal["append", "replace"]  # an accepted draft goes below a task's notes, or instead
JsonObject = dict[str, Any]


@dataclass(frozen=True)
class RunRow:
    """One run in a rep's inbox (``app_list_runs``)."""

    id: uuid.UUID
    activity_id: str
    activity_type: str | None
    status: str
    created_at: datetime
    processed_at: datetime | None
    dismissed_at: datetime | None
    best_draft: str | None  # the most confident draft, as edited
    recommended_due: datetime | None
    flag: str | None
    flag_reason: str | None

    @classmethod
    def from_json(cls, row: JsonObject) -> RunRow:
        return cls(
            id=as_uuid(row["id"]),
            activity_id=row["activity_id"],
            activity_type=row["activity_type"],
            status=row["status"],
            created_at=datetime.fromisoformat(row["created_at"]),
            processed_at=as_time(row["processed_at"]),
            dismissed_at=as_time(row["dismissed_at"]),
            best_draft=row["best_draft"],
            recommended_due=as_time(row["recommended_due"]),
            flag=row["flag"],
            flag_reason=row["flag_reason"],
        )


InboxState = Literal["to_do", "done", "needs_attention", "other"]
InboxOrder = Literal["newest", "due"]


@dataclass(frozen=True)
class InboxEntry(RunRow):
    """An activity in a rep's inbox: its current run, and where it stands (``app_inbox_all``).
    ``recommended_due`` is the follow-up due date as applied, else as recommended."""

    state: InboxState = "other"
    state_reason: str | None = None  # dismissed, accepted, applied, deleted, failed, conflict...
    state_detail: str | None = None  # the job's or the run's own words on what went wrong
    sort_key: str = field(default="", metadata={"internal": True})  # the cursor's, not the API's

    @classmethod
    def from_json(cls, row: JsonObject) -> InboxEntry:
        run = RunRow.from_json(row)
        return cls(
            **{f.name: getattr(run, f.name) for f in fields(RunRow)},
            state=row["state"],
            state_reason=row["state_reason"],
            state_detail=row["state_detail"],
            sort_key=row["sort_key"],
        )


@dataclass(frozen=True)
class InboxPage:
    entries: list[InboxEntry]
    counts: dict[str, int]  # entries in each state (states with none absent)


@dataclass(frozen=True)
class ApplyJob:
    """An apply job as its status URL shows it (``app_get_job``): no payload."""

    id: uuid.UUID
    idempotency_key: str
    user_id: uuid.UUID | None
    hubspot_owner_id: str
    run_id: uuid.UUID
    kind: ApplyKind
    target_id: uuid.UUID
    status: str  # queued | applying | applied | failed | conflict
    reason: str | None
    attempts: int
    hubspot_object_id: str | None  # what the job wrote in HubSpot
    written_version: str | None
    written_task: JsonObject | None  # the task as the rep is shown it once applied
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_json(cls, job: JsonObject) -> ApplyJob:
        return cls(
            id=as_uuid(job["id"]),
            idempotency_key=job["idempotency_key"],
            user_id=as_uuid(job["user_id"]) if job["user_id"] else None,
            hubspot_owner_id=job["hubspot_owner_id"],
            run_id=as_uuid(job["run_id"]),
            kind=job["kind"],
            target_id=as_uuid(job["target_id"]),
            status=job["status"],
            reason=job["reason"],
            attempts=job["attempts"],
            hubspot_object_id=job["hubspot_object_id"],
            written_version=job["written_version"],
            written_task=job["written_task"],
            started_at=as_time(job["started_at"]),
            finished_at=as_time(job["finished_at"]),
            created_at=datetime.fromisoformat(job["created_at"]),
            updated_at=datetime.fromisoformat(job["updated_at"]),
        )


@dataclass(frozen=True)
class TouchDates:
    """A reminder (start) and due date for a task; None where there is none."""

    start: datetime | None = None
    due: datetime | None = None

    @classmethod
    def from_json(cls, dates: JsonObject) -> TouchDates:
        return cls(as_time(dates.get("recommended_start")), as_time(dates.get("recommended_due")))


@dataclass(frozen=True)
class ClaimedRun:
    activity_id: str
    activity_type: str  # every run a rep can accept results of was queued with its type
    activity_version: str  # the version the suggestions were made for


@dataclass(frozen=True)
class ClaimedJob:
    """A job claimed for applying, with everything applying it needs (``app_claim_job``)."""

    id: uuid.UUID
    kind: ApplyKind
    hubspot_owner_id: str  # whose it was when the rep accepted it
    # its run's account; None while a job stored before migration 018 is not adopted
    portal_id: int | None
    hubspot_object_id: str | None  # set when the write happened before a crash
    run: ClaimedRun
    own_versions: frozenset[str]  # versions of the activity our earlier writes produced
    draft_text: str | None  # the accepted draft (draft jobs only)
    edited_text: str | None  # the rep's edit of it, if any
    recommended: TouchDates  # the run's recommendation; empty when it has none
    adjusted: TouchDates  # the dates a rep changed when applying the recommendation
    run_task_id: str | None  # the follow-up task an earlier job of the same run created
    task_body: TaskBody  # where an accepted draft goes in a task's notes

    @classmethod
    def from_json(cls, job: JsonObject) -> ClaimedJob:
        run, payload = job["run"], job["payload"]
        return cls(
            id=as_uuid(job["id"]),
            kind=job["kind"],
            hubspot_owner_id=job["hubspot_owner_id"],
            portal_id=job["hubspot_portal_id"],
            hubspot_object_id=job["hubspot_object_id"],
            run=ClaimedRun(run["activity_id"], run["activity_type"], run["activity_version"]),
            own_versions=frozenset(job["own_versions"]),
            draft_text=(job["draft"] or {}).get("draft_text"),
            edited_text=payload.get("text"),
            recommended=TouchDates.from_json(job["recommendation"] or {}),
            adjusted=TouchDates.from_json(payload),
            run_task_id=job["run_task_id"],
            # Jobs queued before the rep could choose keep the notes too.
            task_body=payload.get("task_body", "append"),
        )


@dataclass(frozen=True)
class RunBusy:
    """A claim refused for now: another job of the same run is applying."""


@dataclass(frozen=True)
class Session:
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    metadata: JsonObject  # the app's own keys (UI preferences and the like)

    @classmethod
    def from_json(cls, session: JsonObject) -> Session:
        return cls(
            id=as_uuid(session["id"]),
            user_id=as_uuid(session["user_id"]),
            created_at=datetime.fromisoformat(session["created_at"]),
            expires_at=as_time(session["expires_at"]),
            metadata=session["metadata"],
        )


def json_row(row: RunRow | ApplyJob | Session) -> JsonObject:
    """The row as the API answers it: the JSON values the store answered, but for fields
    kept for the service's own use."""
    return {
        f.name: as_json_value(getattr(row, f.name))
        for f in fields(row)
        if not f.metadata.get("internal")
    }
