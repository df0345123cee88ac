"""What the approval API accepts, validated with pydantic; bad input becomes 400/422."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any, Literal, TypeVar

from flask import request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared import json_values
from webhook_receiver.responses import ApiError

M = TypeVar("M", bound=BaseModel)
RunStatus = Literal["queued", "processing", "completed", "failed", "skipped"]
ActivityType = Literal["task", "note", "meeting", "call", "email"]


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


class ResultsQuery(Strict):
    status: RunStatus | None = None
    type: ActivityType | None = None
    dismissed: bool | None = Field(
        default=None,
        description="false: only results not dismissed; true: only dismissed ones; absent: all",
    )
    include: Literal["activity"] | None = Field(
        default=None,
        description="activity: each result with its activity as HubSpot has it now",
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)


class PageQuery(Strict):
    after: str | None = Field(default=None, max_length=200, pattern=r"^[0-9]+$")
    limit: int = Field(default=20, ge=1, le=100)


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


def encode_cursor(row: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(f"{row['created_at']}|{row['id']}".encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        created, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(created), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            422,
            "invalid_fields",
            "cursor is not one this API handed out",
            fields=[{"field": "cursor", "problem": "unknown cursor"}],
        ) from None
