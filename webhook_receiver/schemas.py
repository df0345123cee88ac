"""What the approval API accepts, validated with pydantic; bad input becomes 400/422."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any, Literal, TypeVar

from flask import request
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from webhook_receiver.responses import ApiError

M = TypeVar("M", bound=BaseModel)
RunStatus = Literal["queued", "processing", "completed", "failed", "skipped"]
ActivityType = Literal["task", "note", "meeting", "call", "email"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def no_nul_characters(cls, data: Any) -> Any:
        # Postgres text and jsonb cannot hold U+0000; refuse it here, as a field error.
        if _has_nul(data):
            raise ValueError("text must not contain NUL (U+0000) characters")
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


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
    if not request.get_data():
        return _validated(model, {})
    payload = request.get_json(silent=True)
    if payload is None:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON")
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
