"""The HubSpot client of each account the service acts for.

Static auth serves one account, the access token's: asking for any other is refused. OAuth
serves every install: each account's client takes its access token from the token keeper
at each request and has its own burst budget and daily cap (HubSpot counts both per app per
account), so one busy account never slows another and no call carries another's token.
"""

from __future__ import annotations

import threading
from functools import partial

import redis

from shared.accounts.tokens import AccountTokens
from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import HubSpotClient, build_client
from shared.hubspot.errors import AccountUnavailable
from shared.settings import Settings


class AccountClients:
    def __init__(
        self,
        settings: Settings,
        client: redis.Redis,
        static: HubSpotClient,
        directory: AccountDirectory,
        tokens: AccountTokens | None,
    ) -> None:
        self.settings = settings
        self.redis = client
        self.static = static
        self.directory = directory
        self.tokens = tokens
        self._clients: dict[int, HubSpotClient] = {}
        self._directories: dict[int, AccountDirectory] = {}
        self._lock = threading.Lock()

    def for_account(self, portal_id: int) -> HubSpotClient:
        """The client acting for the account; raises ``AccountUnavailable`` for an account
        this service does not serve (with static auth: any but the token's), or, at its
        first request, for an OAuth account that is not connected."""
        if self.tokens is None:
            served = self.directory.details().portal_id
            if portal_id != served:
                raise AccountUnavailable(
                    portal_id, "not served", f"this service acts for account {served} only"
                )
            return self.static
        with self._lock:
            client = self._clients.get(portal_id)
            if client is None:
                token = partial(self.tokens.access_token, portal_id)
                client = build_client(self.settings, self.redis, (portal_id, token))
                self._clients[portal_id] = client
        return client

    def directory_for(self, portal_id: int) -> AccountDirectory:
        """The account's details (time zone, web address), read with its own client; raises
        as ``for_account`` does."""
        client = self.for_account(portal_id)
        if self.tokens is None:
            return self.directory
        with self._lock:
            directory = self._directories.get(portal_id)
            if directory is None:
                directory = AccountDirectory(self.redis, client, portal_id=portal_id)
                self._directories[portal_id] = directory
        return directory

    def served_accounts(self) -> list[int]:
        """The accounts the service acts for now: the static token's, or every OAuth install
        still connected."""
        if self.tokens is None:
            return [self.directory.details().portal_id]
        return self.tokens.store.connected_accounts()

    def check_served(self, portal_id: int) -> None:
        """Raises ``AccountUnavailable`` unless the service can act for the account now."""
        self.for_account(portal_id)
        if self.tokens is not None:
            self.tokens.access_token(portal_id)  # a lost account raises, a live one is cached
