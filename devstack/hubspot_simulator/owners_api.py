"""CRM owners (date-versioned): the list (with the `email` filter), one by id or user id."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from devstack.hubspot_simulator import guards, versions
from devstack.hubspot_simulator.errors import ApiError
from devstack.hubspot_simulator.params import cursor_arg, int_arg
from devstack.hubspot_simulator.serialize import owner_json
from devstack.hubspot_simulator.simulator import current_account

bp = Blueprint("crm_owners", __name__, url_prefix="/crm/owners/<version>")
bp.url_value_preprocessor(versions.take_version)
bp.before_request(guards.before_api_request)
bp.after_request(guards.after_api_request)

MAX_LIMIT = 500


@bp.get("/")
@bp.get("")
def list_owners():
    owners = current_account().store.owners()
    email = (request.args.get("email") or "").strip().lower()
    if email:
        owners = [owner for owner in owners if str(owner.get("email", "")).lower() == email]
    after = cursor_arg()
    owners = [owner for owner in owners if int(owner["id"]) >= after]
    limit = int_arg("limit", 100, MAX_LIMIT)
    body: dict[str, Any] = {"results": [owner_json(owner) for owner in owners[:limit]]}
    if len(owners) > limit:
        body["paging"] = {"next": {"after": str(owners[limit]["id"])}}
    return jsonify(body)


@bp.get("/<owner_id>")
def read_owner(owner_id: str):
    by_user_id = request.args.get("idProperty") == "userId"
    owners = current_account().store.owners()
    key = "userId" if by_user_id else "id"
    match = next((owner for owner in owners if str(owner.get(key)) == owner_id), None)
    if match is None:
        raise ApiError(404, f"Owner {owner_id} not found.", "OBJECT_NOT_FOUND")
    return jsonify(owner_json(match))
