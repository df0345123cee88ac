"""HubSpot's OAuth endpoints (2026-03): an install's code exchanged for tokens, an access
token refreshed, a token's account looked up, the app's own (client-credentials) token.

Every parameter goes in the form-encoded body, as the 2026-03 endpoints require (the v1
endpoints took query parameters and are deprecated from February 2027):
developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens. One
attempt per call: retrying is the caller's (the token keeper's lock holder, a Celery retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

TOKEN_PATH = "/oauth/2026-03/token"  # noqa: S105 (a path, not a secret)
INTROSPECT_PATH = "/oauth/2026-03/token/introspect"


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    expires_at: datetime
    scopes: tuple[str, ...] = ()


class OAuthRefused(Exception):
    """HubSpot said no: a bad or used code, a revoked refresh token, an uninstalled app.

    A refresh after an uninstall is not told apart from one with a revoked token: HubSpot
    documents neither answer beyond 400 ``BAD_REFRESH_TOKEN`` "missing or invalid refresh
    token" (the simulator gives that for both). The webhooks journal's ``APP_UNINSTALL`` is
    what says an account was uninstalled (``shared.accounts.lifecycle``).
    """

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HubSpot refused the token request ({status}): {reason}")
        self.status = status
        self.reason = reason


class OAuthUnavailable(Exception):
    """HubSpot could not answer now (timeout, 429, 5xx): try again later."""


class HubSpotOAuth:
    def __init__(self, base_url: str, client_id: str, client_secret: str, timeout: float) -> None:
        self._client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self._credentials = {"client_id": client_id, "client_secret": client_secret}

    def exchange_code(self, code: str, redirect_uri: str) -> TokenGrant:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        return _grant(self._post(TOKEN_PATH, form))

    def refresh(self, refresh_token: str) -> TokenGrant:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return _grant(self._post(TOKEN_PATH, form), refresh_token)

    def app_token(self, scopes: tuple[str, ...]) -> TokenGrant:
        """The app's own token (client credentials: no account, no refresh token), for the
        APIs that act for the app, such as the webhooks journal."""
        form = {"grant_type": "client_credentials", "scope": " ".join(scopes)}
        return _grant(self._post(TOKEN_PATH, form))

    def account_of(self, access_token: str) -> int:
        """The HubSpot account (hub id, the events' ``portalId``) an access token acts in."""
        answer = self._post(
            INTROSPECT_PATH, {"token": access_token, "token_type_hint": "access_token"}
        )
        if not answer.get("active", True) or "hub_id" not in answer:
            raise OAuthRefused(400, "the access token is not active")
        return int(answer["hub_id"])

    def close(self) -> None:
        self._client.close()

    def _post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._client.post(path, data={**form, **self._credentials})
        except httpx.HTTPError as exc:
            raise OAuthUnavailable(f"HubSpot's OAuth endpoint did not answer: {exc}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise OAuthUnavailable(f"HubSpot's OAuth endpoint answered {response.status_code}")
        answer = _json(response)
        if response.status_code >= 400:
            raise OAuthRefused(response.status_code, _reason(answer))
        return answer


def _grant(answer: dict[str, Any], previous_refresh: str | None = None) -> TokenGrant:
    try:
        access = str(answer["access_token"])
        lifetime = int(answer["expires_in"])
    except (KeyError, TypeError, ValueError):
        raise OAuthUnavailable("HubSpot's token answer had no access_token/expires_in") from None
    scope = answer.get("scope") or answer.get("scopes") or ()
    scopes = tuple(scope.split() if isinstance(scope, str) else scope)
    return TokenGrant(
        access_token=access,
        # HubSpot may keep the refresh token the same; the previous one stays valid then.
        refresh_token=str(answer.get("refresh_token") or previous_refresh or ""),
        expires_at=datetime.now(UTC) + timedelta(seconds=lifetime),
        scopes=scopes,
    )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _reason(answer: dict[str, Any]) -> str:
    """HubSpot's words (OAuth's ``error``/``error_description``, or its own
    ``status``/``message``), never the request's secrets."""
    parts = [answer.get(key) for key in ("error", "status", "error_description", "message")]
    return ": ".join(str(part) for part in parts if part) or "no reason given"
