"""Access tokens for OAuth installs: one refresh per expiry across every worker.

A worker asks for an account's access token before each HubSpot call. The token is kept
encrypted in Redis until shortly before it expires (``REFRESH_AHEAD``: HubSpot's 401 is not a
reliable sign that a refresh is due); after that, the first worker to take the account's
Redis lock refreshes it and stores the new tokens, and the others, waiting on the lock, find
them stored. A refused refresh (revoked, or the app uninstalled) disconnects the account: its
tokens are deleted and every later request for it raises ``AccountUnavailable``, which parks
its work instead of failing it or reaching for another account's token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from redis.exceptions import LockError

from shared.accounts.cipher import TokenCipher, TokenKeyError
from shared.accounts.oauth import HubSpotOAuth, OAuthRefused, OAuthUnavailable, TokenGrant
from shared.accounts.states import mark_connected, mark_lost
from shared.hubspot.errors import AccountUnavailable
from shared.logging import get_logger
from shared.metrics import Metrics
from shared.redis_text import as_text
from shared.settings import Settings
from shared.store.accounts import AccountFunctions, StoredAccount

REFRESH_AHEAD = timedelta(minutes=5)
# The refresh is one HTTP call with its own timeout; the lock outlives it so a second worker
# never refreshes while the first is still waiting for HubSpot's answer.
LOCK_SECONDS = 30.0
LOCK_WAIT_SECONDS = 35.0

log = get_logger(__name__)


@dataclass(frozen=True)
class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AccountTokens:
    def __init__(
        self,
        store: AccountFunctions,
        cipher: TokenCipher,
        oauth: HubSpotOAuth,
        client: redis.Redis,
        metrics: Metrics | None = None,
        refresh_ahead: timedelta = REFRESH_AHEAD,
        clock: Clock = Clock(),
    ) -> None:
        self.store = store
        self.cipher = cipher
        self.oauth = oauth
        self.redis = client
        self.metrics = metrics
        self.refresh_ahead = refresh_ahead
        self.clock = clock

    def access_token(self, portal_id: int) -> str:
        """A token for the account valid for at least ``refresh_ahead``; raises
        ``AccountUnavailable`` when the account is not connected."""
        cached = self.redis.get(_cache_key(portal_id))
        if cached:
            try:
                return self.cipher.decrypt(as_text(cached))
            except TokenKeyError:  # cached under a key rotated out since: read it again
                self.redis.delete(_cache_key(portal_id))
        account = self._connected(portal_id)
        if self._fresh(account):
            return self._cached(account)
        return self._refresh(portal_id)

    def install(self, grant: TokenGrant, portal_id: int) -> None:
        """An install's first tokens: the account is connected (again)."""
        self.store.install_account(
            portal_id,
            self.cipher.encrypt(grant.access_token),
            self.cipher.encrypt(grant.refresh_token),
            grant.expires_at,
            list(grant.scopes),
        )
        self.redis.delete(_cache_key(portal_id))
        mark_connected(self.redis, portal_id)
        log.info("hubspot_account_installed", portal_id=portal_id)

    def disconnect(
        self, portal_id: int, status: str, reason: str, purge_after: datetime | None = None
    ) -> None:
        """The account can no longer be acted for; its tokens are deleted (``status``:
        ``disconnected`` or ``uninstalled``). Logged and counted once per loss."""
        self.redis.delete(_cache_key(portal_id))
        mark_lost(self.redis, portal_id, status)
        if self.store.disconnect_account(portal_id, status, reason, purge_after):
            log.warning("hubspot_account_lost", portal_id=portal_id, status=status, reason=reason)
            if self.metrics is not None:
                self.metrics.count("hubspot_accounts_lost_total", status=status)

    def _refresh(self, portal_id: int) -> str:
        lock = self.redis.lock(
            _lock_key(portal_id), timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS
        )
        try:
            with lock:
                account = self._connected(portal_id)  # another worker may have refreshed
                if self._fresh(account):
                    return self._cached(account)
                return self._renew(account)
        except LockError:
            raise OAuthUnavailable(f"account {portal_id}: the refresh lock was not freed") from None

    def _renew(self, account: StoredAccount) -> str:
        refresh_token = self.cipher.decrypt(account.refresh_token_enc or "")
        try:
            grant = self.oauth.refresh(refresh_token)
        except OAuthRefused as exc:
            # Revoked or uninstalled, HubSpot's answer is the same (see OAuthRefused); the
            # webhooks journal's APP_UNINSTALL turns an uninstalled account's status later.
            self.disconnect(account.portal_id, "disconnected", exc.reason)
            raise AccountUnavailable(account.portal_id, "disconnected", exc.reason) from None
        access_enc = self.cipher.encrypt(grant.access_token)
        refresh_enc = self.cipher.encrypt(grant.refresh_token)
        stored = self.store.refreshed_account(
            account.portal_id, access_enc, refresh_enc, grant.expires_at
        )
        if not stored:  # uninstalled or disconnected while HubSpot answered
            raise AccountUnavailable(account.portal_id, "not connected")
        if self.metrics is not None:
            self.metrics.count("hubspot_token_refreshes_total")
        log.info("hubspot_token_refreshed", portal_id=account.portal_id)
        renewed = StoredAccount(
            portal_id=account.portal_id,
            status="connected",
            status_reason=None,
            access_token_enc=access_enc,
            refresh_token_enc=None,
            access_expires_at=grant.expires_at,
        )
        self._cached(renewed)
        return grant.access_token

    def _connected(self, portal_id: int) -> StoredAccount:
        account = self.store.account(portal_id)
        if account is None:
            raise AccountUnavailable(portal_id, "not installed")
        if account.status != "connected":
            raise AccountUnavailable(portal_id, account.status, account.status_reason)
        return account

    def _fresh(self, account: StoredAccount) -> bool:
        expires = account.access_expires_at
        return expires is not None and expires - self.clock.now() > self.refresh_ahead

    def _cached(self, account: StoredAccount) -> str:
        """The account's access token, kept (encrypted) in Redis until its refresh is due."""
        remaining = (account.access_expires_at or self.clock.now()) - self.clock.now()
        seconds = int((remaining - self.refresh_ahead).total_seconds())
        encrypted = account.access_token_enc or ""
        if seconds > 0:
            self.redis.set(_cache_key(account.portal_id), encrypted, ex=seconds)
        return self.cipher.decrypt(encrypted)


def _cache_key(portal_id: int) -> str:
    return f"hubspot:oauth:{portal_id}:access"


def _lock_key(portal_id: int) -> str:
    return f"hubspot:oauth:{portal_id}:refresh-lock"


def build_account_tokens(
    settings: Settings, store: AccountFunctions, client: redis.Redis, metrics: Metrics | None
) -> AccountTokens:
    """The token keeper for OAuth installs, as configured."""
    secret = settings.hubspot_client_secret
    oauth = HubSpotOAuth(
        settings.hubspot_api_base,
        settings.hubspot_client_id or "",
        secret.get_secret_value() if secret else "",
        settings.hubspot_timeout_seconds,
    )
    return AccountTokens(store, TokenCipher(settings.token_keys()), oauth, client, metrics)
