"""Association reads (date-versioned): one object's associations, and the batch read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, jsonify

from devstack.hubspot_simulator import guards, versions
from devstack.hubspot_simulator.associations import HUBSPOT_DEFINED, type_between
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.errors import error_body, validation_error
from devstack.hubspot_simulator.objects import ObjectType, object_type_or_400
from devstack.hubspot_simulator.params import cursor_arg, int_arg, json_body
from devstack.hubspot_simulator.simulator import current_account

bp = Blueprint("crm_associations", __name__)
bp.url_value_preprocessor(versions.take_version)
bp.before_request(guards.before_api_request)
bp.after_request(guards.after_api_request)

MAX_LIMIT = 500


@bp.get("/crm/objects/<version>/<object_type>/<object_id>/associations/<to_object_type>")
def associations_of(object_type: str, object_id: str, to_object_type: str):
    from_type, to_type = object_type_or_400(object_type), object_type_or_400(to_object_type)
    targets = _targets(from_type, object_id, to_type)
    limit = int_arg("limit", MAX_LIMIT, MAX_LIMIT)
    offset = cursor_arg()
    body: dict[str, Any] = {"results": targets[offset : offset + limit]}
    if offset + limit < len(targets):
        body["paging"] = {"next": {"after": str(offset + limit)}}
    return jsonify(body)


@bp.post("/crm/associations/<version>/<from_object_type>/<to_object_type>/batch/read")
def batch_read(from_object_type: str, to_object_type: str):
    from_type, to_type = object_type_or_400(from_object_type), object_type_or_400(to_object_type)
    started, ids = iso_ms(datetime.now(UTC)), _input_ids(json_body())
    found = {object_id: _targets(from_type, object_id, to_type) for object_id in ids}
    results = [{"from": {"id": i}, "to": targets} for i, targets in found.items() if targets]
    body: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": started}
    body["completedAt"] = iso_ms(datetime.now(UTC))
    unassociated = [object_id for object_id, targets in found.items() if not targets]
    if not unassociated:
        return jsonify(body)
    errors = [_none_found(from_type, to_type, object_id) for object_id in unassociated]
    return jsonify({**body, "numErrors": len(errors), "errors": errors}), 207


def _targets(from_type: ObjectType, object_id: str, to_type: ObjectType) -> list[dict[str, Any]]:
    """`{"toObjectId": "12", "associationTypes": [{category, typeId, label}]}`.

    The date-versioned shape gives the id as a string (v4 gave an integer).
    """
    association = type_between(from_type.singular, to_type.singular)
    if association is None:
        return []
    spec = {"category": HUBSPOT_DEFINED, "typeId": association.type_id, "label": None}
    ids = current_account().store.linked((from_type.singular, object_id), to_type.singular)
    return [{"toObjectId": str(to_id), "associationTypes": [spec]} for to_id in ids]


def _input_ids(body: Any) -> list[str]:
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list) or not all(isinstance(i, dict) and "id" in i for i in inputs):
        raise validation_error("Invalid input JSON: `inputs` must be a list of {id}.")
    return list(dict.fromkeys(str(item["id"]) for item in inputs))


def _none_found(from_type: ObjectType, to_type: ObjectType, object_id: str) -> dict[str, Any]:
    """HubSpot reports an object without associations of the type as an error of the batch."""
    message = f"No {to_type.singular} is associated with {from_type.singular} {object_id}."
    body = error_body(
        message,
        "OBJECT_NOT_FOUND",
        subCategory="crm.associations.NO_ASSOCIATIONS_FOUND",
        context={"fromObjectId": [object_id]},
        errors=[],
        links={},
    )
    body.pop("correlationId")
    return body
