"""One simulated HubSpot account with the app installed: its data, limits, writes and counts.

The write operations live here rather than in the views because the CRM API, the admin API
and fixture loading all share them: validate, store, emit webhooks, remember who wrote.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from devstack.hubspot_simulator import versions
from devstack.hubspot_simulator.clock import iso_ms, to_ms
from devstack.hubspot_simulator.config import AccountSettings, SimulatorConfig
from devstack.hubspot_simulator.errors import not_found, validation_error
from devstack.hubspot_simulator.ids import IdSequence
from devstack.hubspot_simulator.journal import Journal
from devstack.hubspot_simulator.objects import CONTACTS, ObjectType, find_object_type
from devstack.hubspot_simulator.rate_limit import RateLimiter
from devstack.hubspot_simulator.serialize import account_zone
from devstack.hubspot_simulator.stats import AccountRequests
from devstack.hubspot_simulator.store import CrmStore, ObjectKey, StoredObject
from devstack.hubspot_simulator.validation import clean_associations, clean_properties
from devstack.hubspot_simulator.webhook_events import EventFactory
from devstack.hubspot_simulator.webhooks import WebhookDispatcher

API_SOURCE, UI_SOURCE = "INTEGRATION", "CRM_UI"


class Account:
    """Shared by all request threads. Rate limits are HubSpot's: per app per account."""

    def __init__(
        self,
        settings: AccountSettings,
        config: SimulatorConfig,
        outlets: tuple[WebhookDispatcher, Journal],
        ids: tuple[IdSequence, IdSequence],
    ) -> None:
        object_ids, event_ids = ids
        self.settings, self.config = settings, config
        self.webhooks, self.journal = outlets
        self.store = CrmStore(object_ids)
        self.limiter = RateLimiter(
            config.burst_limit,
            config.daily_limit,
            config.search_limit_per_second,
            window_seconds=config.rate_limit_window_ms / 1000,
            zone=account_zone(settings),
        )
        self.events = EventFactory(settings.portal_id, config.app_id, event_ids)
        self.requests = AccountRequests()
        self.installed = True
        self._writes_lock = threading.Lock()
        self._writes: list[dict[str, Any]] = []

    @property
    def portal_id(self) -> int:
        return self.settings.portal_id

    def create(
        self, object_type: ObjectType, body: Any, source: str | None = None, emit: bool = True
    ) -> StoredObject:
        """Create from HubSpot's create body (`properties`, optional `associations`).

        `source=None` means an API caller: the change is INTEGRATION and lands in `writes()`.
        Admin and fixture changes name their source (CRM_UI) and are not recorded as writes.
        """
        body = _object_body(body)
        also_required = self._required_of_api_writes(object_type) if source is None else ()
        properties = self._clean(object_type, body.get("properties"), True, also_required)
        links = clean_associations(object_type, body.get("associations"), self.store.exists)
        record = self.store.create(object_type, properties, links)
        if emit:
            self._emit(self.events.created(record, source or API_SOURCE))
        if source is None:
            self._remember("create", record, properties, links)
        return record

    def update(
        self, object_type: ObjectType, object_id: str, body: Any, source: str | None = None
    ) -> StoredObject:
        properties = self._clean(object_type, _object_body(body).get("properties"), creating=False)
        record, changed = self.store.update(object_type, object_id, properties)
        self._emit(self.events.changed(record, changed, source or API_SOURCE))
        if source is None:
            self._remember("update", record, properties, [])
        return record

    def archive(self, object_type: ObjectType, object_id: str, source: str | None = None) -> None:
        """Archiving what is missing or archived already succeeds quietly, as in HubSpot."""
        record = self.store.archive(object_type, object_id)
        if record is None:
            return
        self._emit(self.events.deleted(record, source or API_SOURCE))
        if source is None:
            self._remember("archive", record, {}, [])

    def privacy_delete(self, contact_id: str, source: str) -> None:
        """A rep's GDPR delete of a contact: gone for good, and a `contact.privacyDeletion`
        webhook. 404 when the account has no such contact."""
        if not self.store.purge(CONTACTS, contact_id):
            raise not_found()
        self._emit([self.events.privacy_deleted(contact_id, source, to_ms(datetime.now(UTC)))])

    def set_installed(self, installed: bool) -> None:
        """Each authorisation installs the app, each uninstall removes it; the app learns of
        either through the journal only."""
        self.installed = installed
        action = "APP_INSTALL" if installed else "APP_UNINSTALL"
        self.journal.record([self.events.lifecycle(action, to_ms(datetime.now(UTC)))])

    def read(self, object_type: ObjectType, object_id: str, archived: bool = False) -> StoredObject:
        record = self.store.get(object_type, object_id, archived)
        if record is None:
            raise not_found()
        return record

    def add_owner(self, owner: Any) -> None:
        if not isinstance(owner, dict) or not str(owner.get("id", "")).isdigit():
            raise validation_error(f"An owner needs a numeric id: {owner!r}")
        stamp = iso_ms(datetime.now(UTC))
        self.store.put_owner({"createdAt": stamp, "updatedAt": stamp, **owner})

    def writes(self, object_type: str | None = None, kind: str | None = None) -> list[dict]:
        """What API callers wrote, oldest first, optionally filtered."""
        with self._writes_lock:
            return [
                dict(write)
                for write in self._writes
                if object_type in (None, write["objectType"]) and kind in (None, write["kind"])
            ]

    def reset(self) -> None:
        """Back to an empty portal with the app installed; counters start over."""
        self.store.reset()
        self.limiter.reset()
        self.requests.reset()
        self.installed = True
        with self._writes_lock:
            self._writes.clear()

    def _emit(self, events: list[dict[str, Any]]) -> None:
        """Events go to the app's webhook target and to the journal."""
        self.webhooks.enqueue(events)
        self.journal.record(events)

    def _clean(
        self,
        object_type: ObjectType,
        raw: Any,
        creating: bool,
        also_required: tuple[str, ...] = (),
    ) -> dict[str, str]:
        return clean_properties(
            object_type,
            raw,
            creating=creating,
            is_owner=lambda owner_id: self.store.owner(owner_id) is not None,
            strict=self.config.strict_properties,
            also_required=also_required,
        )

    def _required_of_api_writes(self, object_type: ObjectType) -> tuple[str, ...]:
        """The portal's required properties, and from 2026-09 the version's own."""
        by_version = object_type.required_from_2026_09 if versions.validates_writes() else ()
        return (*by_version, *self.config.portal_required.get(object_type.name, ()))

    def _remember(
        self, kind: str, record: StoredObject, properties: dict[str, str], links: list[ObjectKey]
    ) -> None:
        write = {
            "kind": kind,
            "objectType": record.object_type.name,
            "objectId": record.id,
            "properties": properties,
            "associations": [{"toObjectType": _plural(t), "toObjectId": i} for t, i in links],
            "at": iso_ms(record.archived_at or record.updated_at),
        }
        with self._writes_lock:
            self._writes.append(write)


def _plural(singular: str) -> str:
    object_type = find_object_type(singular)
    return object_type.name if object_type else singular


def _object_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise validation_error("Invalid input JSON: expected an object.")
    return body
