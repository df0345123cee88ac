"""The simulated portal's data: CRM objects, associations and owners, behind one lock.

Every method takes the lock and hands out copies, so request threads never see (or mutate)
a record another thread is changing. Ids are increasing integers, as strings like HubSpot's.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from devstack.hubspot_simulator.clock import MonotonicClock, iso_ms
from devstack.hubspot_simulator.errors import not_found
from devstack.hubspot_simulator.ids import IdSequence
from devstack.hubspot_simulator.objects import ObjectType

ObjectKey = tuple[str, str]  # (singular type name, id)


@dataclass
class StoredObject:
    object_type: ObjectType
    id: str
    properties: dict[str, str]
    created_at: datetime
    updated_at: datetime
    archived: bool = False
    archived_at: datetime | None = None


class CrmStore:
    """Thread-safe in-memory CRM objects, associations and owners of one account.

    Ids come from `ids`, which the accounts share: an id names one object in one account, so
    a read with another account's token finds nothing instead of an unrelated object.
    """

    def __init__(self, ids: IdSequence, clock: MonotonicClock | None = None) -> None:
        self._lock = threading.RLock()
        self._clock = clock or MonotonicClock()
        self._ids = ids
        self.reset()

    def reset(self) -> None:
        """Forget every object and owner; the shared id sequence is its owner's to reset."""
        with self._lock:
            self._objects: dict[str, dict[str, StoredObject]] = defaultdict(dict)
            self._links: dict[ObjectKey, set[ObjectKey]] = defaultdict(set)
            self._owners: dict[str, dict[str, Any]] = {}

    def create(
        self, object_type: ObjectType, properties: dict[str, str], links: list[ObjectKey]
    ) -> StoredObject:
        """Store a new object linked to existing ones; callers check that `links` exist."""
        with self._lock:
            now = self._clock.now()
            record = StoredObject(object_type, str(self._ids.next()), dict(properties), now, now)
            record.properties[object_type.created_property] = iso_ms(now)
            self._stamp(record, now)
            self._objects[object_type.singular][record.id] = record
            for link in links:
                self._link((object_type.singular, record.id), link)
            return _snapshot(record)

    def update(
        self, object_type: ObjectType, object_id: str, changes: dict[str, str]
    ) -> tuple[StoredObject, dict[str, str]]:
        """Apply a partial update; answers the new record and the properties that changed."""
        with self._lock:
            record = self._live(object_type, object_id)
            changed = {k: v for k, v in changes.items() if record.properties.get(k) != v}
            record.properties.update(changes)
            self._stamp(record, self._clock.now())
            return _snapshot(record), changed

    def archive(self, object_type: ObjectType, object_id: str) -> StoredObject | None:
        """Archive a live object; None when there was nothing live to archive."""
        with self._lock:
            record = self._objects[object_type.singular].get(object_id)
            if record is None or record.archived:
                return None
            record.archived, record.archived_at = True, self._clock.now()
            return _snapshot(record)

    def purge(self, object_type: ObjectType, object_id: str) -> bool:
        """Delete an object for good, with its associations, as a privacy deletion does;
        whether there was one."""
        with self._lock:
            if self._objects[object_type.singular].pop(object_id, None) is None:
                return False
            key = (object_type.singular, object_id)
            for other in self._links.pop(key, set()):
                self._links[other].discard(key)
            return True

    def get(
        self, object_type: ObjectType, object_id: str, archived: bool = False
    ) -> StoredObject | None:
        with self._lock:
            record = self._objects[object_type.singular].get(object_id)
            if record is None or record.archived != archived:
                return None
            return _snapshot(record)

    def all(self, object_type: ObjectType, archived: bool = False) -> list[StoredObject]:
        """Every object of a type, oldest id first."""
        with self._lock:
            records = self._objects[object_type.singular].values()
            matching = [_snapshot(r) for r in records if r.archived == archived]
        return sorted(matching, key=lambda record: int(record.id))

    def holds(self, key: ObjectKey) -> bool:
        """Whether this account has the object, live or archived."""
        with self._lock:
            return key[1] in self._objects.get(key[0], {})

    def exists(self, key: ObjectKey) -> bool:
        """Whether a live object has this (singular type, id)."""
        with self._lock:
            record = self._objects[key[0]].get(key[1])
            return record is not None and not record.archived

    def linked(self, key: ObjectKey, to_singular: str) -> list[str]:
        """Ids of live objects of one type associated with `key`, in id order."""
        with self._lock:
            ids = [i for t, i in self._links.get(key, ()) if t == to_singular]
            live = [i for i in ids if self.exists((to_singular, i))]
        return sorted(live, key=int)

    def put_owner(self, owner: dict[str, Any]) -> None:
        with self._lock:
            self._owners[str(owner["id"])] = dict(owner)

    def owners(self) -> list[dict[str, Any]]:
        with self._lock:
            owners = [dict(owner) for owner in self._owners.values()]
        return sorted(owners, key=lambda owner: int(owner["id"]))

    def owner(self, owner_id: str) -> dict[str, Any] | None:
        with self._lock:
            owner = self._owners.get(owner_id)
            return dict(owner) if owner else None

    def _live(self, object_type: ObjectType, object_id: str) -> StoredObject:
        record = self._objects[object_type.singular].get(object_id)
        if record is None or record.archived:
            raise not_found()
        return record

    def _link(self, first: ObjectKey, second: ObjectKey) -> None:
        self._links[first].add(second)
        self._links[second].add(first)

    def _stamp(self, record: StoredObject, now: datetime) -> None:
        record.updated_at = now
        for name in record.object_type.modified_properties:
            record.properties[name] = iso_ms(now)
        record.properties["hs_object_id"] = record.id
        if record.object_type.calculated is not None:
            record.properties.update(record.object_type.calculated(record.properties))


def _snapshot(record: StoredObject) -> StoredObject:
    """A copy callers may keep: the properties are the only mutable part."""
    return dataclasses.replace(record, properties=dict(record.properties))
