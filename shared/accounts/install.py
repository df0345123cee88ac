"""Installing the app in a HubSpot account with OAuth: the authorisation URL a browser is sent
to, and the single-use ``state`` that ties HubSpot's redirect back to that browser (CSRF).

The state is random, kept in Redis for ``STATE_SECONDS`` and taken (GETDEL) by the first
callback that shows it; the install view also sets it in an HttpOnly cookie, and the
callback needs both to match, so a link started in one browser cannot be finished in another.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import redis

from shared.hubspot.operations import required_scopes
from shared.settings import Settings

CALLBACK_PATH = "/oauth/hubspot/callback"
STATE_SECONDS = 600


def redirect_uri(settings: Settings) -> str:
    """Where HubSpot sends the browser back: listed in the OAuth app's ``redirectUrls``."""
    return (settings.webhook_public_base_url or "").rstrip("/") + CALLBACK_PATH


def authorize_url(settings: Settings, state: str) -> str:
    query = {
        "client_id": settings.hubspot_client_id or "",
        "redirect_uri": redirect_uri(settings),
        "scope": " ".join(sorted(required_scopes())),
        "state": state,
    }
    return f"{settings.hubspot_authorize_url}?{urlencode(query)}"


class InstallStates:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def issue(self) -> str:
        state = secrets.token_urlsafe(32)
        self.redis.set(_key(state), "1", ex=STATE_SECONDS)
        return state

    def redeem(self, state: str) -> bool:
        """True once for a state this service issued in the last ``STATE_SECONDS``."""
        return self.redis.getdel(_key(state)) is not None


def _key(state: str) -> str:
    return f"hubspot:oauth:state:{state}"
