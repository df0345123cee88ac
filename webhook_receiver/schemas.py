"""What the approval API accepts, validated with pydantic (bad input becomes 400/422), and
what it answers, as pydantic models that /openapi.json describes the API with."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime
from typing import Any, Literal, TypeVar

from flask import request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared import json_values
from shared.hubspot.models import Activity
from shared.llm.schema import Flag
from shared.store.review import RejectReason
from shared.store.rows import InboxOrder, InboxState, TaskBody
from webhook_receiver.responses import ApiError

M = TypeVar("M", bound=BaseModel)
RunStatus = Literal["queued", "processing", "completed", "failed", "skipped"]
ActivityType = Literal["task", "note", "meeting", "call", "email"]
JobStatus = Literal["queued", "applying", "applied", "failed", "conflict"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def storable(cls, data: Any) -> Any:
        # What Postgres (or a JSON encoder) could not hold is a field error here, not a 500
        # there: NUL, lone surrogates, NaN, huge numbers, deep nesting. Query strings and
        # bodies that skipped body() (tests, future callers) get the same check.
        return json_values.checked(data)


class AcceptDraft(Strict):
    """Accept a draft, optionally edited: the edited text is what HubSpot gets."""

    text: str | None = Field(default=None, min_length=1, max_length=20_000)
    task_body: TaskBody = Field(
        default="append",
        description="append: the draft goes below the notes the task already has; replace: "
        "it takes their place. Accepting writes a HubSpot task (the activity itself when it "
        "is a task, else one follow-up task per run) and sends no email.",
    )


class RejectDraft(Strict):
    """Why the rep rejects a draft; a note says more, and must for ``other``."""

    reason: RejectReason
    note: str | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="after")
    def other_needs_a_note(self) -> RejectDraft:
        if self.reason == "other" and not (self.note and self.note.strip()):
            raise ValueError("a note is required when the reason is other")
        return self


class ApplyDates(Strict):
    """Apply a recommendation, optionally with adjusted dates (timezone required)."""

    recommended_start: AwareDatetime | None = None
    recommended_due: AwareDatetime | None = None

    @model_validator(mode="after")
    def start_before_due(self) -> ApplyDates:
        start, due = self.recommended_start, self.recommended_due
        if start and due and start > due:
            raise ValueError("recommended_start must not be after recommended_due")
        return self


class SessionUpdate(Strict):
    metadata: dict[str, Any] = Field(max_length=50)


class RunsQuery(Strict):
    status: RunStatus | None = None
    type: ActivityType | None = None
    dismissed: bool | None = Field(
        default=None,
        description="false: only runs not dismissed; true: only dismissed ones; absent: all",
    )
    include: Literal["activity"] | None = Field(
        default=None,
        description="activity: each run with its activity as HubSpot has it now",
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)


class InboxQuery(Strict):
    state: InboxState | None = Field(
        default=None,
        description="to_do: ready and not acted on; done: accepted, applied or dismissed; "
        "needs_attention: failed, conflicted or deleted in HubSpot; other: still being "
        "processed, or nothing to act on; absent: every state",
    )
    type: ActivityType | None = None
    order: InboxOrder = Field(
        default="newest",
        description="newest: the newest suggestions first; due: the soonest follow-up due "
        "date first, entries without one last",
    )
    include: Literal["activity"] | None = Field(
        default=None,
        description="activity: each entry with its activity as HubSpot has it now",
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)


class InsightsQuery(Strict):
    since: AwareDatetime | None = Field(
        default=None, description="Runs created from then on; default: the last 30 days"
    )
    scope: Literal["mine", "team"] = Field(
        default="mine", description="team: every rep's drafts, for team leads only"
    )


class PageQuery(Strict):
    after: str | None = Field(default=None, max_length=200, pattern=r"^[0-9]+$")
    limit: int = Field(default=20, ge=1, le=100)


class FieldProblem(BaseModel):
    field: str | None
    problem: str


class ErrorAnswer(BaseModel):
    """Every error: a code to act on and a message that says what is wrong."""

    error: str
    message: str
    fields: list[FieldProblem] | None = Field(default=None, description="With 422: which")


class ContactSummary(BaseModel):
    id: str
    name: str
    email: str | None


class CompanySummary(BaseModel):
    id: str
    name: str


class ActivitySummary(BaseModel):
    """An activity as HubSpot has it now, as much as a list needs."""

    subject: str
    owner_id: str | None = None
    occurred_at: datetime | None
    contacts: list[ContactSummary]
    companies: list[CompanySummary]


class RunSummary(BaseModel):
    """One processing run in the rep's list, with its best draft and touch date."""

    id: uuid.UUID
    activity_id: str
    activity_type: ActivityType | None
    status: RunStatus
    created_at: datetime
    processed_at: datetime | None
    dismissed_at: datetime | None
    best_draft: str | None
    recommended_due: datetime | None
    flag: Flag | None = Field(
        description="opt_out or legal: no follow-up (no drafts, no date); hostile: an upset "
        "contact, drafts apologise"
    )
    flag_reason: str | None = Field(description="What in the activity raised the flag")
    # Only with include=activity, so the plain list stays one database query.
    activity: ActivitySummary | None = Field(
        default=None,
        description="With include=activity: the activity as HubSpot has it now; null when "
        "HubSpot no longer has it or could not be read",
    )


class RunsPage(BaseModel):
    runs: list[RunSummary]
    next_cursor: str | None
    activity_error: str | None = Field(
        default=None, description="With include=activity, when HubSpot could not be read: why"
    )


class InboxItem(RunSummary):
    """An activity in the rep's inbox: its current run (the newest, not counting the echoes
    of our own writes to HubSpot) and where it stands."""

    recommended_due: datetime | None = Field(
        description="The follow-up due date: as applied, else as recommended"
    )
    state: InboxState
    state_reason: (
        Literal["dismissed", "accepted", "applied", "deleted", "failed", "conflict", "job_failed"]
        | None
    ) = Field(description="What put the entry in its state, when something did")
    state_detail: str | None = Field(
        description="For failed, conflict and job_failed: what went wrong, in words"
    )


class InboxCounts(BaseModel):
    """Entries in each state, for the same type filter."""

    to_do: int = 0
    done: int = 0
    needs_attention: int = 0
    other: int = 0


class InboxPage(BaseModel):
    entries: list[InboxItem]
    counts: InboxCounts
    next_cursor: str | None
    activity_error: str | None = Field(
        default=None, description="With include=activity, when HubSpot could not be read: why"
    )


class Draft(BaseModel):
    id: uuid.UUID
    run_id: uuid.UUID | None
    activity_id: str
    draft_text: str
    edited_text: str | None
    tone: str
    confidence: float
    selected: bool
    rejected_at: datetime | None
    reject_reason: RejectReason | None = None
    reject_note: str | None = None
    accepted_at: datetime | None = None
    final_text: str | None = Field(default=None, description="What the rep accepted")
    edit_distance: float | None = Field(
        default=None, description="From draft_text to final_text: 0 untouched, 1 rewritten"
    )
    created_at: datetime


class Recommendation(BaseModel):
    id: uuid.UUID
    run_id: uuid.UUID | None
    activity_id: str
    recommended_start: datetime | None
    recommended_due: datetime
    rationale: str | None
    confidence: float
    applied: bool
    applied_start: datetime | None
    applied_due: datetime | None
    created_at: datetime


class WrittenTask(BaseModel):
    """The HubSpot task an applied job wrote."""

    task_id: str
    created: bool = Field(description="true: a new follow-up task; false: an existing one updated")
    subject: str
    due_at: datetime | None
    record_url: str | None = Field(
        description="The contact (else company) record in HubSpot that shows the task"
    )


class RecordSuggestion(RunSummary):
    """A run the card on a CRM record lists, with what the rep can accept or apply."""

    drafts: list[Draft] = Field(description="Most confident first")
    recommendation: Recommendation | None


class RecordRuns(BaseModel):
    """The open suggestions on one CRM record: of each activity HubSpot associates with it,
    the newest completed run of the rep's, unless dismissed; newest first."""

    object_type: Literal["contacts", "companies", "deals"]
    record_id: str
    runs: list[RecordSuggestion]


class Job(BaseModel):
    """An apply job: what the rep accepted, and how writing it to HubSpot went."""

    id: uuid.UUID
    run_id: uuid.UUID
    kind: Literal["draft", "recommendation"]
    target_id: uuid.UUID
    status: JobStatus
    reason: str | None = Field(description="Why it failed, conflicted or waits")
    attempts: int
    hubspot_owner_id: str
    user_id: uuid.UUID | None
    idempotency_key: str
    hubspot_object_id: str | None
    written_version: str | None
    written_task: WrittenTask | None = Field(description="Once applied: the task written")
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime
    updated_at: datetime


class Run(BaseModel):
    """One processing run of an activity version, with what it produced."""

    id: uuid.UUID
    activity_id: str
    activity_type: ActivityType | None
    activity_version: str
    status: RunStatus
    hubspot_owner_id: str | None
    user_id: uuid.UUID | None
    attempts: int
    error_class: str | None
    error_message: str | None
    confidence_scores: dict[str, Any]
    flag: Flag | None
    flag_reason: str | None
    created_at: datetime
    started_at: datetime | None
    processed_at: datetime | None
    finished_at: datetime | None
    dismissed_at: datetime | None
    drafts: list[Draft]
    recommendation: Recommendation | None
    jobs: list[Job]


class ActivityDetail(BaseModel):
    activity_id: str
    runs: list[Run] = Field(description="Newest first")
    hubspot: Activity | None = Field(description="As HubSpot has it now; null when deleted")
    hubspot_error: str | None = Field(default=None, description="Why hubspot is null")


class RejectReasons(BaseModel):
    wrong_facts: int
    wrong_tone: int
    not_needed: int
    other: int


class Figures(BaseModel):
    """What reps did with the drafts of a group."""

    offered: int
    accepted: int
    rejected: int
    acceptance_rate: float | None = Field(description="accepted / (accepted + rejected)")
    edited: int = Field(description="Accepted drafts the rep changed")
    edited_share: float | None = Field(description="edited / accepted")
    mean_edit_distance: float | None = Field(description="Over accepted drafts, 0 to 1")
    reject_reasons: RejectReasons


class KeyedFigures(Figures):
    key: str


class Insights(BaseModel):
    since: datetime
    scope: Literal["mine", "team"]
    total: Figures
    by_tone: list[KeyedFigures]
    by_activity_type: list[KeyedFigures]
    by_model: list[KeyedFigures]
    by_prompt_version: list[KeyedFigures]
    weekly: list[KeyedFigures] = Field(description="By the Monday (UTC) of the run's week")


class JobStarted(BaseModel):
    job_id: uuid.UUID
    status: JobStatus
    status_url: str = Field(description="Where the job's progress is")


class StatusChanged(BaseModel):
    status: Literal["rejected", "dismissed", "restored"]


class Session(BaseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    metadata: dict[str, Any]


class CrmRecord(BaseModel):
    """A CRM record as HubSpot's search returns it."""

    id: str
    properties: dict[str, str | None]


class CrmPage(BaseModel):
    results: list[CrmRecord]
    next_after: str | None


def body(model: type[M]) -> M:
    """The request's JSON body as ``model``; an empty body means all defaults."""
    data = request.get_data()
    if not data:
        return _validated(model, {})
    try:
        payload = json_values.loads(data)
    except ValueError as exc:
        raise ApiError(400, "malformed_json", str(exc)) from None
    return _validated(model, payload)


def query(model: type[M]) -> M:
    return _validated(model, request.args.to_dict())


def _validated(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = [
            {"field": ".".join(map(str, e["loc"])) or None, "problem": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise ApiError(
            422, "invalid_fields", "some fields are missing or invalid", fields=fields
        ) from None


def encode_cursor(position: str, row_id: uuid.UUID) -> str:
    """A cursor after the row at ``position`` (its sort key) with this id."""
    return base64.urlsafe_b64encode(f"{position}|{row_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        position, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return position, uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError):
        raise _unknown_cursor() from None


def decode_time_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """A cursor whose position is a time (the runs list pages by creation time)."""
    decoded = decode_cursor(cursor)
    if decoded is None:
        return None
    try:
        return datetime.fromisoformat(decoded[0]), decoded[1]
    except ValueError:
        raise _unknown_cursor() from None


def decode_number_cursor(cursor: str | None) -> tuple[str, uuid.UUID] | None:
    """A cursor whose position is a number (the inbox's sort key)."""
    decoded = decode_cursor(cursor)
    if decoded is not None and not _NUMBER.fullmatch(decoded[0]):
        raise _unknown_cursor()
    return decoded


_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]+)?|Infinity)")


def _unknown_cursor() -> ApiError:
    return ApiError(
        422,
        "invalid_fields",
        "cursor is not one this API handed out",
        fields=[{"field": "cursor", "problem": "unknown cursor"}],
    )
