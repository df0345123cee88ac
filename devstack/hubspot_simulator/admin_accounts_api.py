"""Dev tooling under /_admin for the accounts the app is installed in, and their OAuth tokens:

    GET    /_admin/accounts                    every account: portalId, settings, installed
    POST   /_admin/accounts                    add one ({"portalId": 2000002, "timeZone": ...,
                                               "companyCurrency": ...}; all optional); seed it
                                               with POST /_admin/fixtures?portalId=2000002
    POST   /_admin/accounts/<id>/uninstall     the app is removed from the account: its access
                                               and refresh tokens (the static one too, for the
                                               default account) stop working until the app is
                                               authorised again
    POST   /_admin/oauth/installing-account    {"portalId": n}: the account the next
                                               /oauth/authorize installs into
    POST   /_admin/oauth/revoke                {"refreshToken": "..."}: as if the user revoked
                                               the app's access; refreshing with it fails
    POST   /_admin/oauth/expire                {"portalId": n} or {}: that account's (or every)
                                               live access token expires now

The default account (the configured portal_id, reached with the static access token) always
exists; POST /_admin/reset removes the others.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from devstack.hubspot_simulator.account import Account
from devstack.hubspot_simulator.config import AccountSettings
from devstack.hubspot_simulator.errors import ApiError, validation_error
from devstack.hubspot_simulator.params import json_body
from devstack.hubspot_simulator.simulator import current_simulator

bp = Blueprint("admin_accounts", __name__, url_prefix="/_admin")


@bp.get("/accounts")
def list_accounts():
    accounts = current_simulator().accounts
    return jsonify({"results": [_account_json(a, accounts.default) for a in accounts.all()]})


@bp.post("/accounts")
def add_account():
    body, accounts = _object(json_body()), current_simulator().accounts
    portal_id = body.get("portalId", accounts.next_portal_id())
    if isinstance(portal_id, bool) or not isinstance(portal_id, int) or portal_id < 1:
        raise validation_error("portalId must be a positive integer.")
    defaults = accounts.default.settings
    settings = AccountSettings(
        portal_id,
        str(body.get("timeZone", defaults.time_zone)),
        str(body.get("companyCurrency", defaults.company_currency)),
    )
    return jsonify(_account_json(accounts.add(settings), accounts.default)), 201


@bp.post("/accounts/<int:portal_id>/uninstall")
def uninstall(portal_id: int):
    simulator = current_simulator()
    account = simulator.accounts.require(portal_id)
    simulator.uninstall(account)
    return jsonify(_account_json(account, simulator.accounts.default))


@bp.post("/oauth/installing-account")
def choose_installing_account():
    accounts = current_simulator().accounts
    accounts.install_next_into(_portal_id(_object(json_body()), required=True))
    return jsonify({"portalId": accounts.installing.portal_id})


@bp.post("/oauth/revoke")
def revoke_refresh_token():
    refresh_token = _object(json_body()).get("refreshToken")
    if not isinstance(refresh_token, str) or not current_simulator().tokens.revoke(refresh_token):
        raise ApiError(404, "No such refresh token.", "OBJECT_NOT_FOUND")
    return jsonify({"revoked": True})


@bp.post("/oauth/expire")
def expire_access_tokens():
    portal_id = _portal_id(_object(json_body()), required=False)
    return jsonify({"expired": current_simulator().tokens.expire_now(portal_id)})


def _account_json(account: Account, default: Account) -> dict[str, Any]:
    settings = account.settings
    return {
        "portalId": settings.portal_id,
        "timeZone": settings.time_zone,
        "companyCurrency": settings.company_currency,
        "installed": account.installed,
        "default": account is default,
    }


def _portal_id(body: dict[str, Any], required: bool) -> int | None:
    portal_id = body.get("portalId")
    if portal_id is None and not required:
        return None
    if isinstance(portal_id, bool) or not isinstance(portal_id, int):
        raise validation_error("portalId must be an integer.")
    return current_simulator().accounts.require(portal_id).portal_id


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise validation_error("Expected a JSON object.")
    return body
