"""Installing the app in a HubSpot account (``HUBSPOT_AUTH=oauth``): the install link and
HubSpot's redirect back with a code, exchanged for the account's tokens."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, redirect, request

from shared.accounts.install import CALLBACK_PATH, InstallStates, authorize_url, redirect_uri
from shared.accounts.oauth import OAuthRefused, OAuthUnavailable
from shared.settings import Settings
from webhook_receiver.responses import ApiError
from webhook_receiver.services import services

oauth = Blueprint("oauth", __name__)
STATE_COOKIE = "hubspot_install_state"


@oauth.get("/oauth/hubspot/install")
def install():
    settings = _oauth_settings()
    state = InstallStates(services().redis).issue()
    response = redirect(authorize_url(settings, state), 302)
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=600,
        path=CALLBACK_PATH,
        httponly=True,
        secure=request.is_secure or redirect_uri(settings).startswith("https://"),
        samesite="Lax",  # sent on HubSpot's top-level redirect back, not on cross-site posts
    )
    return response


@oauth.get(CALLBACK_PATH)
def callback():
    settings = _oauth_settings()
    if request.args.get("error"):
        reason = request.args.get("error_description") or request.args["error"]
        raise ApiError(400, "install_declined", f"HubSpot did not install the app: {reason}")
    state, code = request.args.get("state", ""), request.args.get("code", "")
    if not code or not state:
        raise ApiError(400, "invalid_callback", "HubSpot's redirect must carry code and state")
    cookie = request.cookies.get(STATE_COOKIE, "")
    if not cookie or not hmac.compare_digest(state, cookie):
        raise ApiError(400, "state_mismatch", "this install was not started in this browser")
    if not InstallStates(services().redis).redeem(state):
        raise ApiError(400, "state_used", "this install link was used or expired; start again")
    accounts = services().accounts
    try:
        grant = accounts.oauth.exchange_code(code, redirect_uri(settings))
        portal_id = accounts.oauth.account_of(grant.access_token)
    except OAuthRefused as exc:
        raise ApiError(400, "install_refused", str(exc)) from None
    except OAuthUnavailable as exc:
        raise ApiError(503, "hubspot_unavailable", f"{exc}; start the install again") from None
    accounts.install(grant, portal_id)
    response = Response(
        f"The app is installed in HubSpot account {portal_id}. You can close this page.",
        content_type="text/plain; charset=utf-8",
    )
    response.delete_cookie(STATE_COOKIE, path=CALLBACK_PATH)
    return response


def _oauth_settings() -> Settings:
    settings = services().settings
    if settings.hubspot_auth != "oauth":
        raise ApiError(
            404, "not_found", "this service serves one account (HUBSPOT_AUTH=static): no install"
        )
    return settings
