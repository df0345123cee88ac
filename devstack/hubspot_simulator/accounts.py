"""The accounts the app is installed in, by portal id; the configured one is the default.

Object ids and event ids are drawn from sequences all accounts share, so no two accounts
ever hold an object with the same id (see store.py).
"""

from __future__ import annotations

import threading

from devstack.hubspot_simulator.account import Account
from devstack.hubspot_simulator.config import AccountSettings, SimulatorConfig
from devstack.hubspot_simulator.errors import ApiError, validation_error
from devstack.hubspot_simulator.ids import IdSequence
from devstack.hubspot_simulator.journal import Journal
from devstack.hubspot_simulator.store import ObjectKey
from devstack.hubspot_simulator.webhooks import WebhookDispatcher


class Accounts:
    """Thread-safe registry; `installing` is the account an OAuth authorisation installs into
    when the request does not name one."""

    def __init__(
        self, config: SimulatorConfig, webhooks: WebhookDispatcher, journal: Journal
    ) -> None:
        self._config, self._outlets = config, (webhooks, journal)
        self._object_ids = IdSequence(config.first_object_id)
        self._event_ids = IdSequence()
        self._lock = threading.Lock()
        self.default = self._new(config.default_account())
        self.reset()

    def add(self, settings: AccountSettings) -> Account:
        with self._lock:
            if settings.portal_id in self._by_portal:
                raise validation_error(f"Account {settings.portal_id} exists already.")
            account = self._by_portal[settings.portal_id] = self._new(settings)
            return account

    def get(self, portal_id: int) -> Account | None:
        with self._lock:
            return self._by_portal.get(portal_id)

    def require(self, portal_id: int) -> Account:
        account = self.get(portal_id)
        if account is None:
            raise ApiError(404, f"No account {portal_id} in the simulator.", "OBJECT_NOT_FOUND")
        return account

    def all(self) -> list[Account]:
        with self._lock:
            return sorted(self._by_portal.values(), key=lambda account: account.portal_id)

    def next_portal_id(self) -> int:
        with self._lock:
            return max(self._by_portal) + 1

    def holder_of(self, key: ObjectKey) -> Account | None:
        """The account that has this object, live or archived."""
        return next((account for account in self.all() if account.store.holds(key)), None)

    @property
    def installing(self) -> Account:
        with self._lock:
            return self._by_portal[self._installing]

    def install_next_into(self, portal_id: int) -> None:
        self.require(portal_id)
        with self._lock:
            self._installing = portal_id

    def reset(self) -> None:
        """Only the default account is left, empty; object ids start over."""
        self.default.reset()
        self._object_ids.reset()
        with self._lock:
            self._by_portal = {self.default.portal_id: self.default}
            self._installing = self.default.portal_id

    def _new(self, settings: AccountSettings) -> Account:
        ids = (self._object_ids, self._event_ids)
        return Account(settings, self._config, self._outlets, ids)
