"""CRM object routes (date-versioned): create, read, batch read, update, list, search, archive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, jsonify, request

from devstack.hubspot_simulator import guards, versions
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.errors import error_body, validation_error
from devstack.hubspot_simulator.objects import ObjectType, object_type_or_400
from devstack.hubspot_simulator.params import (
    bool_arg,
    cursor_arg,
    int_arg,
    json_body,
    list_arg,
    types_arg,
)
from devstack.hubspot_simulator.search import run_search
from devstack.hubspot_simulator.serialize import object_associations, object_json, read_json
from devstack.hubspot_simulator.simulator import current_account, current_simulator
from devstack.hubspot_simulator.store import StoredObject

bp = Blueprint("crm_objects", __name__, url_prefix="/crm/objects/<version>")
bp.url_value_preprocessor(versions.take_version)
bp.before_request(guards.before_api_request)
bp.after_request(guards.after_api_request)

LIST_MAX_LIMIT = 100


@bp.post("/<object_type>")
def create(object_type: str):
    record = current_account().create(object_type_or_400(object_type), json_body())
    return jsonify(object_json(record)), 201


@bp.get("/<object_type>/<object_id>")
def read(object_type: str, object_id: str):
    record = current_account().read(
        object_type_or_400(object_type), object_id, bool_arg("archived")
    )
    return jsonify(_read_json(record))


@bp.patch("/<object_type>/<object_id>")
def update(object_type: str, object_id: str):
    record = current_account().update(object_type_or_400(object_type), object_id, json_body())
    return jsonify(object_json(record))


@bp.delete("/<object_type>/<object_id>")
def archive(object_type: str, object_id: str):
    current_account().archive(object_type_or_400(object_type), object_id)
    return "", 204


@bp.get("/<object_type>")
def list_page(object_type: str):
    records = current_account().store.all(object_type_or_400(object_type), bool_arg("archived"))
    limit = int_arg("limit", 10, LIST_MAX_LIMIT)
    after = cursor_arg()
    page = [record for record in records if int(record.id) >= after][: limit + 1]
    body: dict[str, Any] = {"results": [_read_json(record) for record in page[:limit]]}
    if len(page) > limit:
        body["paging"] = _next_page(page[limit].id, limit)
    return jsonify(body)


@bp.post("/<object_type>/batch/read")
def batch_read(object_type: str):
    kind, body, started = object_type_or_400(object_type), json_body(), _now()
    ids = _batch_ids(body)
    store = current_account().store
    found = [store.get(kind, object_id, bool_arg("archived")) for object_id in ids]
    requested = _property_names(body)
    results = [read_json(record, requested) for record in found if record is not None]
    missing = [object_id for object_id, record in zip(ids, found, strict=True) if record is None]
    answer: dict[str, Any] = {"status": "COMPLETE", "results": results}
    answer |= {"startedAt": started, "completedAt": _now()}
    if not missing:
        return jsonify(answer)
    answer |= {"numErrors": 1, "errors": [_missing_error(kind, missing)]}
    return jsonify(answer), 207


@bp.post("/<object_type>/search")
def search(object_type: str):
    body = json_body()
    if not isinstance(body, dict):
        raise validation_error("Invalid input JSON: expected an object.")
    records = current_account().store.all(object_type_or_400(object_type))
    page = run_search(records, body)
    requested = _property_names(body)
    answer: dict[str, Any] = {"total": page.total}
    answer["results"] = [read_json(record, requested) for record in page.results]
    if page.next_after is not None:
        answer["paging"] = {"next": {"after": page.next_after}}
    return jsonify(answer)


def _read_json(record: StoredObject) -> dict[str, Any]:
    """A GET answer shaped by the `properties` and `associations` query parameters."""
    to_types = types_arg("associations")
    associations = object_associations(current_account().store, record, to_types)
    return read_json(record, list_arg("properties"), associations)


def _property_names(body: dict[str, Any]) -> list[str]:
    names = body.get("properties") or []
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise validation_error("Invalid input JSON: `properties` must be a list of names.")
    return names


def _batch_ids(body: Any) -> list[str]:
    """Requested ids, first occurrence kept; HubSpot reads each id once."""
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and "id" in i for i in inputs):
        raise validation_error("Invalid input JSON: `inputs` must be a list of {id}.")
    if body.get("idProperty") not in (None, "hs_object_id"):
        raise validation_error("The simulator reads by hs_object_id only.")
    limit = current_simulator().config.batch_read_max_inputs
    if len(inputs) > limit:
        raise validation_error(f"Too many inputs: {len(inputs)} given, at most {limit} allowed.")
    return list(dict.fromkeys(str(item["id"]) for item in inputs))


def _missing_error(kind: ObjectType, ids: list[str]) -> dict[str, Any]:
    message = (
        f"Could not get some {kind.singular.upper()} objects, they may be deleted or not "
        "exist. Check that ids are valid."
    )
    body = error_body(message, "OBJECT_NOT_FOUND", context={"ids": ids}, errors=[], links={})
    body.pop("correlationId")
    return body


def _next_page(after: str, limit: int) -> dict[str, Any]:
    link = f"{request.base_url}?limit={limit}&after={after}"
    return {"next": {"after": after, "link": link}}


def _now() -> str:
    return iso_ms(datetime.now(UTC))
