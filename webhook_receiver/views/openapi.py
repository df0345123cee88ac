"""GET /openapi.json: the approval API described for clients and fuzzers.

OpenAPI 3.1, whose schemas are JSON Schema: request bodies, query parameters and answers
come from the pydantic models in ``webhook_receiver.schemas`` (bodies as the views validate
them, answers as they are written), all under ``components/schemas``. Tests check the
document against OpenAPI 3.1's own schema, its paths against the app's routes, and real
answers of every operation against it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.hubspot.models import READABLE_PROPERTIES
from shared.review.record import RECORD_TYPES
from webhook_receiver.schemas import (
    AcceptDraft,
    ActivityDetail,
    ApplyDates,
    CrmPage,
    ErrorAnswer,
    InboxPage,
    InboxQuery,
    Insights,
    InsightsQuery,
    Job,
    JobStarted,
    PageQuery,
    RecordRuns,
    RejectDraft,
    RunsPage,
    RunsQuery,
    Session,
    SessionUpdate,
    StatusChanged,
)

openapi = Blueprint("openapi", __name__)

REF_TEMPLATE = "#/components/schemas/{model}"
# Request bodies as the views validate them; answers as the views write them.
MODELS: list[tuple[type[BaseModel], JsonSchemaMode]] = [
    *((model, "validation") for model in (AcceptDraft, RejectDraft, ApplyDates, SessionUpdate)),
    *(
        (model, "serialization")
        for model in (
            ErrorAnswer,
            RunsPage,
            InboxPage,
            ActivityDetail,
            RecordRuns,
            JobStarted,
            StatusChanged,
            Job,
            Session,
            CrmPage,
            Insights,
        )
    ),
]
UUID = {"type": "string", "format": "uuid"}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


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
    answer: type[BaseModel],
    params: list | None = None,
    body: type[BaseModel] | None = None,
    also: tuple[tuple[int, str], ...] = (),
) -> dict[str, Any]:
    responses = {
        str(ok): {
            "description": "success",
            "content": {"application/json": {"schema": _ref(answer)}},
        }
    }
    for status, meaning in (
        (400, "malformed request"),
        (401, "missing or invalid token or HubSpot signature"),
        (403, "not linked to a HubSpot owner, no such user or rep, or an account not served"),
        (404, "not found"),
        (409, "already applied, or an owner in several accounts: to be mapped by hand"),
        (422, "invalid fields"),
        *also,
    ):
        responses[str(status)] = {
            "description": meaning,
            "content": {"application/json": {"schema": _ref(ErrorAnswer)}},
        }
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": params or [],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


def document() -> dict[str, Any]:
    draft, recommendation = _path_param("draft_id", UUID), _path_param("recommendation_id", UUID)
    object_types = {"type": "string", "enum": sorted(READABLE_PROPERTIES)}
    paths = {
        "/api/v1/runs": {
            "get": _operation(
                "My runs, newest first; include=activity adds HubSpot's current copy",
                200,
                RunsPage,
                _query_params(RunsQuery),
            )
        },
        "/api/v1/inbox": {
            "get": _operation(
                "My inbox: an entry per activity in its state (to do, done, needs attention), "
                "with counts per state",
                200,
                InboxPage,
                _query_params(InboxQuery),
            )
        },
        "/api/v1/activities/{activity_id}": {
            "get": _operation(
                "One activity: runs, drafts, recommendation, and HubSpot's current copy",
                200,
                ActivityDetail,
                [_path_param("activity_id", {"type": "string"})],
            )
        },
        "/api/v1/records/{object_type}/{record_id}/runs": {
            "get": _operation(
                "Open suggestions on a contact, company or deal: my runs of its activities",
                200,
                RecordRuns,
                [
                    _path_param("object_type", {"enum": list(RECORD_TYPES)}),
                    _path_param("record_id", {"type": "string", "pattern": "^[0-9]+$"}),
                ],
                also=((503, "HubSpot could not be read"),),
            )
        },
        "/api/v1/drafts/{draft_id}/accept": {
            "post": _operation(
                "Accept a draft (optionally edited); answers a job",
                202,
                JobStarted,
                [draft],
                AcceptDraft,
            )
        },
        "/api/v1/drafts/{draft_id}/reject": {
            "post": _operation(
                "Reject a draft, saying why (a note is required for other)",
                200,
                StatusChanged,
                [draft],
                RejectDraft,
            )
        },
        "/api/v1/recommendations/{recommendation_id}/apply": {
            "post": _operation(
                "Apply a touch-date recommendation (optionally adjusted); answers a job",
                202,
                JobStarted,
                [recommendation],
                ApplyDates,
            )
        },
        "/api/v1/runs/{run_id}/dismiss": {
            "post": _operation("Dismiss a run", 200, StatusChanged, [_path_param("run_id", UUID)])
        },
        "/api/v1/runs/{run_id}/restore": {
            "post": _operation(
                "Undo a dismissal", 200, StatusChanged, [_path_param("run_id", UUID)]
            )
        },
        "/api/v1/jobs/{job_id}": {
            "get": _operation(
                "An apply job: queued, applying, applied, failed or conflict, with the reason",
                200,
                Job,
                [_path_param("job_id", UUID)],
            )
        },
        "/api/v1/session": {
            "get": _operation("My session metadata", 200, Session),
            "patch": _operation(
                "Merge keys into my session metadata (a null removes its key; 16 KB at most)",
                200,
                Session,
                body=SessionUpdate,
                also=((413, "the metadata would pass its size limit"),),
            ),
        },
        "/api/v1/insights": {
            "get": _operation(
                "Acceptance, edits and reject reasons of my drafts (scope=team: every rep's, "
                "for team leads), in total, by tone, activity type, model, prompt and week",
                200,
                Insights,
                _query_params(InsightsQuery),
            )
        },
        "/api/v1/crm/{object_type}": {
            "get": _operation(
                "CRM records my HubSpot owner owns, from HubSpot",
                200,
                CrmPage,
                [_path_param("object_type", object_types), *_query_params(PageQuery)],
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "hubspot-ai-wrapper approval API", "version": "1"},
        "components": {
            "schemas": models_json_schema(MODELS, ref_template=REF_TEMPLATE)[1]["$defs"],
            "securitySchemes": {
                "supabase": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                # The app card's hubspot.fetch: HubSpot's v3 signature over method, URL
                # (with userEmail in its query), body and X-HubSpot-Request-Timestamp.
                "hubspotSignature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-HubSpot-Signature-v3",
                },
            },
        },
        "security": [{"supabase": []}, {"hubspotSignature": []}],
        "paths": paths,
    }


@openapi.get("/openapi.json")
def openapi_json():
    return jsonify(document())
