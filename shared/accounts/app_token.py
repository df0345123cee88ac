"""The app's own access token (OAuth client credentials), for the APIs that act for the app
rather than for one account: the webhooks journal.

One token serves every account. It is kept encrypted in Redis until ``REFRESH_AHEAD`` before
it expires, so periodic reads ask HubSpot for one about every half hour, not on every run.
Two processes that find none at the same moment each fetch one: both tokens are valid, the
later overwrites the earlier, and nobody waits on a lock.
"""

from __future__ import annotations

from datetime import UTC, datetime

import redis

from shared.accounts.cipher import TokenCipher, TokenKeyError
from shared.accounts.oauth import HubSpotOAuth
from shared.accounts.tokens import REFRESH_AHEAD
from shared.redis_text import as_text

JOURNAL_READ_SCOPE = "developer.webhooks_journal.read"
CACHE_KEY = "hubspot:oauth:app:access"


class AppToken:
    def __init__(
        self,
        oauth: HubSpotOAuth,
        cipher: TokenCipher,
        client: redis.Redis,
        scopes: tuple[str, ...] = (JOURNAL_READ_SCOPE,),
    ) -> None:
        self.oauth = oauth
        self.cipher = cipher
        self.redis = client
        self.scopes = scopes

    def access_token(self) -> str:
        """A token valid for at least ``REFRESH_AHEAD``; raises ``OAuthUnavailable`` or
        ``OAuthRefused`` when HubSpot gives none."""
        cached = self.redis.get(CACHE_KEY)
        if cached:
            try:
                return self.cipher.decrypt(as_text(cached))
            except TokenKeyError:  # cached under a key rotated out since: fetch a new one
                pass
        grant = self.oauth.app_token(self.scopes)
        seconds = int((grant.expires_at - datetime.now(UTC) - REFRESH_AHEAD).total_seconds())
        if seconds > 0:
            self.redis.set(CACHE_KEY, self.cipher.encrypt(grant.access_token), ex=seconds)
        return grant.access_token

    def forget(self) -> None:
        """HubSpot refused the cached token: the next call fetches another."""
        self.redis.delete(CACHE_KEY)
