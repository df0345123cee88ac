"""Which account an API request speaks for, from its bearer token, with HubSpot's 401s.

The configured static `access_token` is the default account's; any other token must be an
OAuth access token the simulator issued (oauth.py), still live, of an account the app is
installed in; an app token (client credentials, no account) reaches no account's data, only
the webhooks journal (journal_api.py). An unknown token, or one of an account the app was
uninstalled from, is told "Authentication credentials not found" (HubSpot documents that
uninstalling invalidates the tokens, not the answer that follows); an expired one gets
HubSpot's EXPIRED_AUTHENTICATION answer (`"The OAuth token used to make this call expired
5 minute(s) ago."`, with the expiry in `context`), as clients report it.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from flask import request

from devstack.hubspot_simulator.account import Account
from devstack.hubspot_simulator.clock import iso_ms
from devstack.hubspot_simulator.errors import ApiError
from devstack.hubspot_simulator.oauth import AccessToken
from devstack.hubspot_simulator.simulator import Simulator

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
    "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
# How the static token appears in the per-account request counts; OAuth tokens appear as
# themselves (the simulator minted them, they mean nothing elsewhere).
STATIC_LABEL = "static"
_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))


def authenticate(simulator: Simulator) -> tuple[Account, str]:
    """The request's account and how its token is counted; a 401 ApiError otherwise."""
    supplied = request.headers.get("Authorization", "")
    static = f"Bearer {simulator.config.access_token}"
    if hmac.compare_digest(supplied.encode(), static.encode()):
        return _installed(simulator.accounts.default), STATIC_LABEL
    access = live_access_token(simulator)
    portal_id = access.grant.portal_id
    account = None if portal_id is None else simulator.accounts.get(portal_id)
    return _installed(account), access.token


def live_access_token(simulator: Simulator) -> AccessToken:
    """The OAuth access token the request carries, issued and not expired; a 401 otherwise."""
    supplied = request.headers.get("Authorization", "")
    token = supplied.removeprefix("Bearer ")
    access = simulator.tokens.access(token) if supplied.startswith("Bearer ") else None
    if access is None:
        raise unauthenticated()
    seconds_left = simulator.tokens.seconds_left(access)
    if seconds_left <= 0:
        raise expired(access, -seconds_left)
    return access


def unauthenticated() -> ApiError:
    return ApiError(401, AUTH_MESSAGE, "INVALID_AUTHENTICATION")


def expired(access: AccessToken, seconds_ago: float) -> ApiError:
    message = f"The OAuth token used to make this call expired {_ago(seconds_ago)} ago."
    expire_time = iso_ms(datetime.fromtimestamp(access.expires_at, UTC))
    return ApiError(401, message, "EXPIRED_AUTHENTICATION", context={"expire time": [expire_time]})


def _installed(account: Account | None) -> Account:
    if account is None or not account.installed:
        raise unauthenticated()
    return account


def _ago(seconds: float) -> str:
    """`5 minute(s)`: the largest whole unit, as HubSpot words it."""
    unit, size = next((u for u in _UNITS if seconds >= u[1]), _UNITS[-1])
    return f"{int(seconds // size)} {unit}(s)"
