"""The services the views share, built once per app, and the accessor views use.

Kept out of ``app`` so that views depend on this module, not on the app factory that
registers them (Flask's own examples keep such accessors apart from the factory).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import redis
from celery import Celery
from flask import current_app

from shared.auth.tokens import TokenVerifier
from shared.metrics import BufferedMetrics
from shared.settings import Settings
from shared.webhooks.intake import EventIntake
from shared.webhooks.signature import SignatureVerifier

if TYPE_CHECKING:
    from shared.accounts.clients import AccountClients
    from shared.accounts.tokens import AccountTokens
    from shared.auth.owners import OwnerResolver
    from shared.hubspot.client import HubSpotClient
    from shared.store import Store

EXTENSION = "hubspot_ai"


@dataclass(frozen=True)
class Services:
    """What the views use. The approval API's parts are built on first use, so the webhook
    path starts (and answers) without them."""

    settings: Settings
    redis: redis.Redis
    verifier: SignatureVerifier
    intake: EventIntake
    producer: Celery
    metrics: BufferedMetrics

    @cached_property
    def store(self) -> Store:
        from shared.store import build_store

        return build_store(self.settings)

    @cached_property
    def hubspot(self) -> HubSpotClient:
        from shared.hubspot.client import build_client

        return build_client(self.settings, self.redis)

    @cached_property
    def accounts(self) -> AccountTokens:
        from shared.accounts.tokens import build_account_tokens

        return build_account_tokens(self.settings, self.store, self.redis, self.metrics)

    @cached_property
    def clients(self) -> AccountClients:
        from shared.accounts.clients import AccountClients
        from shared.hubspot.account import AccountDirectory

        oauth = self.settings.hubspot_auth == "oauth"
        directory = AccountDirectory(self.redis, self.hubspot)
        return AccountClients(
            self.settings, self.redis, self.hubspot, directory, self.accounts if oauth else None
        )

    @cached_property
    def tokens(self) -> TokenVerifier:
        secret = self.settings.supabase_jwt_secret
        return TokenVerifier(
            secret.get_secret_value() if secret else None,
            self.settings.supabase_jwks_url,
            self.settings.supabase_jwt_issuer,
        )

    @cached_property
    def owners(self) -> OwnerResolver:
        from shared.auth.owners import OwnerResolver

        return OwnerResolver(self.store, self.clients, self.redis)

    def close(self) -> None:
        """Send the last metrics and close the database pool, if one was opened: left to the
        interpreter's final clean-up, the pool's threads are torn down after gevent's hub."""
        self.metrics.flush()
        if "store" in self.__dict__:
            self.store.close()


def services() -> Services:
    return current_app.extensions[EXTENSION]
