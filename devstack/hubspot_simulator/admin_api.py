"""Dev tooling under /_admin: seed data, act as a rep in the CRM, inspect, inject faults.

    POST   /_admin/reset                 the default account alone and empty, no OAuth tokens,
                                         counters and configured faults
    POST   /_admin/fixtures              a fixtures document, or {"demo": true}
                                         (add "emitWebhooks": true to fire webhooks)
    POST   /_admin/activities            create items as a rep would; fires webhooks
    PATCH  /_admin/objects/<type>/<id>   a rep's edit ({"properties": {...}})
    DELETE /_admin/objects/<type>/<id>   a rep's delete
    POST   /_admin/objects/contacts/<id>/privacy-deletion
                                         a rep's GDPR delete: the contact is gone for good and
                                         a contact.privacyDeletion webhook goes out
    GET    /_admin/writes                what API callers wrote (?objectType=tasks&kind=update)
    GET    /_admin/stats                 requests per route, 429s, injected 5xx, webhook attempts
                                         (?deliveries=false leaves out the attempt log); per
                                         account its requests by token and route, and how many
                                         named another account's object (cross_account)
    POST   /_admin/webhooks/flush        wait for pending webhooks ({"timeoutSeconds": 10})
    GET    /_admin/faults, POST /_admin/faults   read or change the fault knobs

Fixtures, activities, objects and writes act on the default account, or on the one named
by `?portalId=` (accounts and OAuth: admin_accounts_api.py).

No bearer token: the simulator binds to loopback, and tests and the dev stack drive it.
Changes made here carry changeSource CRM_UI (overridable: "changeSource" per item, or
?changeSource= on PATCH/DELETE), so they look like a rep's edits to the app, and they do not
appear in /_admin/writes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from devstack.hubspot_simulator.account import UI_SOURCE
from devstack.hubspot_simulator.errors import validation_error
from devstack.hubspot_simulator.fixtures import create_from_item, demo_data, load_fixtures
from devstack.hubspot_simulator.objects import object_type_or_400
from devstack.hubspot_simulator.params import json_body
from devstack.hubspot_simulator.serialize import object_json
from devstack.hubspot_simulator.simulator import admin_account, current_simulator

bp = Blueprint("admin", __name__, url_prefix="/_admin")
DEFAULT_FLUSH_TIMEOUT_SECONDS = 30.0


@bp.post("/reset")
def reset():
    current_simulator().reset()
    return jsonify({"reset": True})


@bp.post("/fixtures")
def fixtures():
    """A fixtures document, or `{"demo": true}` for the shipped demo portal."""
    body = json_body()
    emit = bool(isinstance(body, dict) and body.get("emitWebhooks"))
    data = demo_data() if isinstance(body, dict) and body.get("demo") else body
    return jsonify(load_fixtures(admin_account(), data, emit_webhooks=emit)), 201


@bp.post("/activities")
def activities():
    """One item, a list, or `{"activities": [...]}`; items as in fixtures, ids for refs."""
    body = json_body()
    items = body.get("activities") if isinstance(body, dict) and "activities" in body else body
    items = items if isinstance(items, list) else [items]
    account = admin_account()
    records = [create_from_item(account, item, keys={}) for item in items]
    return jsonify({"results": [object_json(record) for record in records]}), 201


@bp.patch("/objects/<object_type>/<object_id>")
def update_object(object_type: str, object_id: str):
    """A rep's edit; fires property-change webhooks."""
    body, source = json_body(), request.args.get("changeSource", UI_SOURCE)
    record = admin_account().update(object_type_or_400(object_type), object_id, body, source)
    return jsonify(object_json(record))


@bp.delete("/objects/<object_type>/<object_id>")
def archive_object(object_type: str, object_id: str):
    source = request.args.get("changeSource", UI_SOURCE)
    admin_account().archive(object_type_or_400(object_type), object_id, source)
    return "", 204


@bp.post("/objects/contacts/<contact_id>/privacy-deletion")
def privacy_delete_contact(contact_id: str):
    admin_account().privacy_delete(contact_id, request.args.get("changeSource", UI_SOURCE))
    return "", 204


@bp.get("/writes")
def writes():
    """What API callers created, updated or archived; filter with objectType and kind."""
    results = admin_account().writes(request.args.get("objectType"), request.args.get("kind"))
    return jsonify({"results": results})


@bp.get("/stats")
def stats():
    simulator = current_simulator()
    snapshot = simulator.stats.snapshot(request.args.get("deliveries", "true") != "false")
    snapshot["webhooks"]["pending"] = simulator.webhooks.pending()
    accounts = simulator.accounts.all()
    snapshot["accounts"] = {str(a.portal_id): a.requests.snapshot() for a in accounts}
    snapshot["cross_account_requests"] = sum(a.requests.cross_account for a in accounts)
    return jsonify(snapshot)


@bp.post("/webhooks/flush")
def flush_webhooks():
    """Block until every pending webhook was delivered or gave up; 504 on timeout."""
    simulator = current_simulator()
    flushed = simulator.webhooks.flush(_flush_timeout())
    answer = {"flushed": flushed, "pending": simulator.webhooks.pending()}
    return jsonify(answer), 200 if flushed else 504


def _flush_timeout() -> float:
    body: Any = json_body() if request.get_data() else {}
    timeout = body.get("timeoutSeconds") if isinstance(body, dict) else None
    timeout = DEFAULT_FLUSH_TIMEOUT_SECONDS if timeout is None else timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise validation_error("timeoutSeconds must be a positive number.")
    return float(timeout)


@bp.get("/faults")
def get_faults():
    return jsonify(current_simulator().faults.snapshot())


@bp.post("/faults")
def set_faults():
    return jsonify(current_simulator().faults.update(json_body()))
