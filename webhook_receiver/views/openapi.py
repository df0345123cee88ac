"""GET /openapi.json: the approval API described for clients and fuzzers.

Request bodies and query parameters come from the same pydantic models the views validate
with, so the document cannot drift from what the API accepts; tests check its paths
against the app's routes and real answers of the results list against its schema.
"""

from __future__ import annotations

from typing import Any, get_args

from flask import Blueprint, jsonify
from pydantic import BaseModel

from shared.hubspot.models import READABLE_PROPERTIES
from shared.llm.schema import Flag
from webhook_receiver.schemas import (
    AcceptDraft,
    ActivityType,
    ApplyDates,
    PageQuery,
    ResultsQuery,
    RunStatus,
    SessionUpdate,
)

openapi = Blueprint("openapi", __name__)

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
OBJECT = {"type": "object"}
UUID = {"type": "string", "format": "uuid"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": "string", "nullable": True}
MAYBE_TIME = {"type": "string", "format": "date-time", "nullable": True}


def _record(
    properties: dict[str, Any], optional: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """An object: ``properties`` always present (null where allowed), ``optional`` not."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
        **extra,
    }


ACTIVITY_SUMMARY = _record(
    {
        "subject": TEXT,
        "occurred_at": MAYBE_TIME,
        "contacts": {
            "type": "array",
            "items": _record({"id": TEXT, "name": TEXT, "email": MAYBE_TEXT}),
        },
        "companies": {"type": "array", "items": _record({"id": TEXT, "name": TEXT})},
    },
    nullable=True,
    description="The activity as HubSpot has it now; null when HubSpot no longer has it "
    "or could not be read",
)
RESULT = _record(
    {
        "id": UUID,
        "activity_id": TEXT,
        "activity_type": {**MAYBE_TEXT, "enum": [*get_args(ActivityType), None]},
        "status": {"type": "string", "enum": list(get_args(RunStatus))},
        "created_at": {"type": "string", "format": "date-time"},
        "processed_at": MAYBE_TIME,
        "dismissed_at": MAYBE_TIME,
        "best_draft": MAYBE_TEXT,
        "recommended_due": MAYBE_TIME,
        "flag": {
            **MAYBE_TEXT,
            "enum": [*get_args(Flag), None],
            "description": "opt_out or legal: no follow-up (no drafts, no date); hostile: an "
            "upset contact, drafts apologise",
        },
        "flag_reason": {**MAYBE_TEXT, "description": "What in the activity raised the flag"},
    },
    # only with include=activity, so the plain list stays one database query
    optional={"activity": ACTIVITY_SUMMARY},
)
RESULTS_PAGE = _record(
    {"results": {"type": "array", "items": RESULT}, "next_cursor": MAYBE_TEXT},
    optional={
        "activity_error": {
            **TEXT,
            "description": "With include=activity, when HubSpot could not be read: why",
        }
    },
)


def _path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    return [
        {"name": name, "in": "query", "required": False, "schema": field}
        for name, field in schema["properties"].items()
    ]


def _operation(
    summary: str,
    ok: int,
    params: list | None = None,
    body: type[BaseModel] | None = None,
    answer: dict[str, Any] = OBJECT,
    also: tuple[tuple[int, str], ...] = (),
) -> dict[str, Any]:
    responses = {
        str(ok): {"description": "success", "content": {"application/json": {"schema": answer}}}
    }
    for status, meaning in (
        (400, "malformed request"),
        (401, "missing or invalid token"),
        (403, "not linked to a HubSpot owner, or the token's user does not exist"),
        (404, "not found"),
        (409, "already applied"),
        (422, "invalid fields"),
        *also,
    ):
        responses[str(status)] = {
            "description": meaning,
            "content": {"application/json": {"schema": ERROR}},
        }
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": params or [],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": body.model_json_schema()}},
        }
    return operation


def document() -> dict[str, Any]:
    draft, recommendation = _path_param("draft_id", UUID), _path_param("recommendation_id", UUID)
    object_types = {"type": "string", "enum": sorted(READABLE_PROPERTIES)}
    paths = {
        "/api/v1/results": {
            "get": _operation(
                "My results, newest first; include=activity adds HubSpot's current copy",
                200,
                _query_params(ResultsQuery),
                answer=RESULTS_PAGE,
            )
        },
        "/api/v1/activities/{activity_id}": {
            "get": _operation(
                "One activity: runs, drafts, recommendation, and HubSpot's current copy",
                200,
                [_path_param("activity_id", {"type": "string"})],
            )
        },
        "/api/v1/drafts/{draft_id}/accept": {
            "post": _operation(
                "Accept a draft (optionally edited); answers a job", 202, [draft], AcceptDraft
            )
        },
        "/api/v1/drafts/{draft_id}/reject": {"post": _operation("Reject a draft", 200, [draft])},
        "/api/v1/recommendations/{recommendation_id}/apply": {
            "post": _operation(
                "Apply a touch-date recommendation (optionally adjusted); answers a job",
                202,
                [recommendation],
                ApplyDates,
            )
        },
        "/api/v1/results/{log_id}/dismiss": {
            "post": _operation("Dismiss a result", 200, [_path_param("log_id", UUID)])
        },
        "/api/v1/jobs/{job_id}": {
            "get": _operation(
                "An apply job: queued, applying, applied, failed or conflict, with the reason",
                200,
                [_path_param("job_id", UUID)],
            )
        },
        "/api/v1/session": {
            "get": _operation("My session metadata", 200),
            "patch": _operation(
                "Merge keys into my session metadata (a null removes its key; 16 KB at most)",
                200,
                body=SessionUpdate,
                also=((413, "the metadata would pass its size limit"),),
            ),
        },
        "/api/v1/crm/{object_type}": {
            "get": _operation(
                "CRM records my HubSpot owner owns, from HubSpot",
                200,
                [_path_param("object_type", object_types), *_query_params(PageQuery)],
            )
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "hubspot-ai-wrapper approval API", "version": "1"},
        "components": {
            "securitySchemes": {
                "supabase": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        },
        "security": [{"supabase": []}],
        "paths": paths,
    }


@openapi.get("/openapi.json")
def openapi_json():
    return jsonify(document())
