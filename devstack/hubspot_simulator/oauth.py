"""OAuth grants: authorisation codes, expiring access tokens and revocable refresh tokens.

A code is exchanged once, for the redirect URI it was issued with. Refreshing answers a new
access token and the same refresh token, as HubSpot does. Expired access tokens are kept so
a request with one is told it expired rather than that it is unknown. Uninstalling the app
from an account forgets every token of that account.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass

# HubSpot does not say who installed the app in a simulated account; one made-up user did.
INSTALLING_USER_ID = 9_100_001


@dataclass(frozen=True)
class Grant:
    """What an install granted: the account and the scopes; an app's own (client credentials)
    token has no account."""

    portal_id: int | None
    scopes: tuple[str, ...]
    user_id: int = INSTALLING_USER_ID


@dataclass
class AccessToken:
    token: str
    grant: Grant
    expires_at: float


@dataclass(frozen=True)
class _Code:
    grant: Grant
    redirect_uri: str


class Tokens:
    """Thread-safe; access tokens live `lifetime_seconds`."""

    def __init__(self, lifetime_seconds: float) -> None:
        self._lifetime, self._clock = lifetime_seconds, time.time
        self._lock = threading.Lock()
        self.reset()

    def issue_code(self, grant: Grant, redirect_uri: str) -> str:
        code = str(uuid.uuid4())
        with self._lock:
            self._codes[code] = _Code(grant, redirect_uri)
        return code

    def redeem_code(self, code: str) -> tuple[Grant, str] | None:
        """The code's grant and the redirect URI it was issued for, once."""
        with self._lock:
            issued = self._codes.pop(code, None)
        return (issued.grant, issued.redirect_uri) if issued else None

    def issue(self, grant: Grant) -> tuple[AccessToken, str]:
        """A new access token and a new refresh token for the grant."""
        refresh_token = f"na1-{uuid.uuid4()}"
        with self._lock:
            self._refresh[refresh_token] = grant
        return self._new_access(grant), refresh_token

    def issue_for_app(self, scopes: tuple[str, ...]) -> AccessToken:
        """A client-credentials token: the app's own, without an account or refresh token."""
        return self._new_access(Grant(None, scopes))

    def refresh(self, refresh_token: str) -> AccessToken | None:
        """A new access token; None when the refresh token is unknown or revoked."""
        with self._lock:
            grant = self._refresh.get(refresh_token)
        return self._new_access(grant) if grant else None

    def access(self, token: str) -> AccessToken | None:
        with self._lock:
            return self._access.get(token)

    def seconds_left(self, access: AccessToken) -> float:
        return access.expires_at - self._clock()

    def revoke(self, refresh_token: str) -> bool:
        with self._lock:
            return self._refresh.pop(refresh_token, None) is not None

    def expire_now(self, portal_id: int | None = None) -> int:
        """Expire the live access tokens of one account, or of all; answers how many."""
        now, expired = self._clock(), 0
        with self._lock:
            for access in self._access.values():
                if portal_id in (None, access.grant.portal_id) and access.expires_at > now:
                    access.expires_at, expired = now, expired + 1
        return expired

    def forget_account(self, portal_id: int) -> None:
        with self._lock:
            self._access = {t: a for t, a in self._access.items() if a.grant.portal_id != portal_id}
            self._refresh = {t: g for t, g in self._refresh.items() if g.portal_id != portal_id}
            self._codes = {c: i for c, i in self._codes.items() if i.grant.portal_id != portal_id}

    def reset(self) -> None:
        with self._lock:
            self._codes: dict[str, _Code] = {}
            self._access: dict[str, AccessToken] = {}
            self._refresh: dict[str, Grant] = {}

    def _new_access(self, grant: Grant) -> AccessToken:
        access = AccessToken(secrets.token_urlsafe(32), grant, self._clock() + self._lifetime)
        with self._lock:
            self._access[access.token] = access
        return access
