"""OAuth as HubSpot serves it to an app installed in many accounts:

    GET    /oauth/authorize              ?client_id&scope&redirect_uri[&optional_scope][&state]
                                         [&portalId]: install, redirect with ?code=&state=
    POST   /oauth/v1/token               form: grant_type=authorization_code with code,
                                         redirect_uri, client_id, client_secret; or
                                         grant_type=refresh_token with refresh_token,
                                         client_id, client_secret; or
                                         grant_type=client_credentials with scope, client_id,
                                         client_secret (the app's own token, for the
                                         webhooks journal)
    GET    /oauth/v1/access-tokens/<t>   the token's account (hub_id), scopes, expires_in
    POST   /oauth/2026-03/token          the same as /oauth/v1/token (the date-versioned path,
                                         every parameter in the form body)
    POST   /oauth/2026-03/token/introspect
                                         form: client_id, client_secret, token: whether the
                                         token is active, and its account (hub_id)
    DELETE /oauth/v1/refresh-tokens/<t>  the app deletes a refresh token

The authorise endpoint stands for the user who picks an account and clicks "Connect app": it
installs the app into the account `portalId` names (a simulator-only parameter) or else into
the one POST /_admin/oauth/installing-account chose (the default account to begin with).

Shapes: the token answer is HubSpot's v1 one (token_type, refresh_token, access_token,
expires_in, plus hub_id and scopes since August 2025: developer changelog "Additional details
returned when generating OAuth access tokens"); token info follows the v1 reference "Get OAuth
token metadata"; errors of the token endpoint are `{"status": "BAD_...", "message": ...}`, as
v1 answers them (a bad or revoked refresh token: 400 BAD_REFRESH_TOKEN "missing or invalid
refresh token"). HubSpot deprecates the v1 OAuth paths on 2027-02-16 in favour of
/oauth/v3/token.
"""

from __future__ import annotations

import hmac
import math
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, redirect, request

from devstack.hubspot_simulator.auth import expired
from devstack.hubspot_simulator.errors import ApiError, validation_error
from devstack.hubspot_simulator.oauth import AccessToken, Grant
from devstack.hubspot_simulator.simulator import Simulator, current_simulator, requested_account

bp = Blueprint("oauth", __name__)


@bp.get("/oauth/authorize")
def authorize():
    simulator, args = current_simulator(), request.args
    if args.get("client_id") != simulator.config.client_id:
        raise validation_error("Unknown client_id: no app of the simulator has it.")
    redirect_uri, scopes = args.get("redirect_uri"), args.get("scope", "").split()
    if not redirect_uri or not scopes:
        raise validation_error("redirect_uri and scope are required.")
    account = requested_account(simulator.accounts.installing)
    account.set_installed(True)
    grant = Grant(account.portal_id, (*scopes, *args.get("optional_scope", "").split()))
    answer = {"code": simulator.tokens.issue_code(grant, redirect_uri)}
    if "state" in args:
        answer["state"] = args["state"]
    return redirect(f"{redirect_uri}?{urlencode(answer)}")


@bp.post("/oauth/v1/token")
@bp.post("/oauth/2026-03/token")
def token():
    simulator, form = current_simulator(), request.form
    _check_client(simulator, form.get("client_id", ""), form.get("client_secret", ""))
    grant_type = form.get("grant_type")
    if grant_type == "client_credentials":
        return jsonify(_app_token_answer(simulator, form.get("scope", "").split()))
    if grant_type == "authorization_code":
        access, refresh_token = _exchange_code(simulator, form.get("code", ""))
    elif grant_type == "refresh_token":
        access, refresh_token = _refresh(simulator, form.get("refresh_token", ""))
    else:
        raise _oauth_error("BAD_GRANT_TYPE", f"unsupported grant_type {grant_type!r}")
    return jsonify(_token_answer(simulator, access, refresh_token))


@bp.get("/oauth/v1/access-tokens/<access_token>")
def token_info(access_token: str):
    simulator = current_simulator()
    access = simulator.tokens.access(access_token)
    if access is None:
        raise ApiError(404, "The access token was not found.", "OBJECT_NOT_FOUND")
    seconds_left = simulator.tokens.seconds_left(access)
    if seconds_left <= 0:
        raise expired(access, -seconds_left)
    grant = access.grant
    return jsonify(
        {
            "token": access.token,
            "user": f"user-{grant.user_id}@example.com",
            "hub_domain": f"portal-{grant.portal_id}.example.com",
            "scopes": list(grant.scopes),
            "hub_id": grant.portal_id,
            "app_id": simulator.config.app_id,
            "expires_in": math.ceil(seconds_left),
            "user_id": grant.user_id,
            "token_type": "access",
        }
    )


@bp.post("/oauth/2026-03/token/introspect")
def introspect():
    """RFC 7662's answer, as the 2026-03 endpoint gives it: ``active`` and, for a live
    token, its account, scopes and lifetime."""
    simulator, form = current_simulator(), request.form
    _check_client(simulator, form.get("client_id", ""), form.get("client_secret", ""))
    access = simulator.tokens.access(form.get("token", ""))
    if access is None or simulator.tokens.seconds_left(access) <= 0:
        return jsonify({"active": False})
    return jsonify(
        {
            "active": True,
            "token_type": "access_token",
            "client_id": simulator.config.client_id,
            "hub_id": access.grant.portal_id,
            "user_id": access.grant.user_id,
            "scope": " ".join(access.grant.scopes),
            "expires_in": math.ceil(simulator.tokens.seconds_left(access)),
        }
    )


@bp.delete("/oauth/v1/refresh-tokens/<refresh_token>")
def delete_refresh_token(refresh_token: str):
    if not current_simulator().tokens.revoke(refresh_token):
        raise ApiError(404, "The refresh token was not found.", "OBJECT_NOT_FOUND")
    return "", 204


def _check_client(simulator: Simulator, client_id: str, client_secret: str) -> None:
    config = simulator.config
    if not hmac.compare_digest(client_id.encode(), config.client_id.encode()):
        raise _oauth_error("BAD_CLIENT_ID", "missing or unknown client id")
    if not hmac.compare_digest(client_secret.encode(), config.client_secret.encode()):
        raise _oauth_error("BAD_CLIENT_SECRET", "missing or invalid client secret")


def _exchange_code(simulator: Simulator, code: str) -> tuple[AccessToken, str]:
    """Codes are single use and bound to the redirect URI they were issued for."""
    issued = simulator.tokens.redeem_code(code)
    if issued is None:
        raise _oauth_error("BAD_AUTH_CODE", "missing or unknown auth code")
    grant, redirect_uri = issued
    if request.form.get("redirect_uri") != redirect_uri:
        raise _oauth_error("BAD_REDIRECT_URI", "redirect_uri does not match the authorised one")
    return simulator.tokens.issue(grant)


def _refresh(simulator: Simulator, refresh_token: str) -> tuple[AccessToken, str]:
    """A new access token and the same refresh token: HubSpot does not rotate them."""
    access = simulator.tokens.refresh(refresh_token)
    if access is None:
        raise _oauth_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token")
    return access, refresh_token


def _token_answer(simulator: Simulator, access: AccessToken, refresh_token: str) -> dict[str, Any]:
    return {
        "token_type": "bearer",
        "refresh_token": refresh_token,
        "access_token": access.token,
        "expires_in": math.ceil(simulator.tokens.seconds_left(access)),
        "hub_id": access.grant.portal_id,
        "scopes": list(access.grant.scopes),
    }


def _app_token_answer(simulator: Simulator, scopes: list[str]) -> dict[str, Any]:
    """Like an install's token answer, without refresh token or account."""
    access = simulator.tokens.issue_for_app(tuple(scopes))
    return {
        "token_type": "bearer",
        "access_token": access.token,
        "expires_in": math.ceil(simulator.tokens.seconds_left(access)),
        "scopes": scopes,
    }


def _oauth_error(status: str, message: str) -> ApiError:
    """The token endpoint names the problem in `status`, where the CRM APIs say "error"."""
    return ApiError(400, message, None, status=status)
