"""Contacts, companies, deals and a contact's deal ids, read in batches and kept in Redis.

Every worker shares the copies, so a record read for one activity costs nothing for the next
hundred that name it. Copies expire (a renamed contact or a moved deal shows within the
period); a record HubSpot no longer has is simply not kept, and is asked for again.
``DirectRecords`` is the same interface without Redis (the review page's reads).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from shared.account_keys import AccountCache
from shared.hubspot.models import (
    COMPANY_PROPERTIES,
    CONTACT_PROPERTIES,
    DEAL_PROPERTIES,
    Company,
    Contact,
    Deal,
)
from shared.hubspot.parse import parse_company, parse_contact, parse_deal

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

RECORD = "record"  # account key + object type + id -> the parsed record as JSON
LINKS = "links"  # account key + from type + to type + id -> ids as JSON
LINKS_KEEP_SECONDS = 600


@dataclass(frozen=True)
class RecordType(Generic[M]):
    """What is read of one record type, how it is parsed, and how long a copy is kept."""

    object_type: str
    properties: list[str]
    parse: Callable[[Mapping[str, Any]], M]
    model: type[M]
    keep_seconds: int


# A contact's name or a company's domain changes rarely; a deal's stage more often.
CONTACTS = RecordType("contacts", CONTACT_PROPERTIES, parse_contact, Contact, 3600)
COMPANIES = RecordType("companies", COMPANY_PROPERTIES, parse_company, Company, 3600)
DEALS = RecordType("deals", DEAL_PROPERTIES, parse_deal, Deal, 600)


class Records(Protocol):
    def read(self, kind: RecordType[M], ids: Iterable[str]) -> dict[str, M]: ...

    def links(self, from_type: str, to_type: str, ids: Iterable[str]) -> dict[str, list[str]]: ...


class DirectRecords:
    """Straight from HubSpot: one batch read per ``batch_size`` ids."""

    def __init__(self, client: HubSpotClient) -> None:
        self.client = client

    def read(self, kind: RecordType[M], ids: Iterable[str]) -> dict[str, M]:
        records: dict[str, M] = {}
        for chunk in chunked(list(dict.fromkeys(ids)), self.client.batch_size):
            for obj in self.client.batch_read(kind.object_type, chunk, kind.properties):
                records[str(obj["id"])] = kind.parse(obj)
        return records

    def links(self, from_type: str, to_type: str, ids: Iterable[str]) -> dict[str, list[str]]:
        """Every id asked for is answered, with [] when it has no associations."""
        unique = list(dict.fromkeys(ids))
        found: dict[str, list[str]] = {i: [] for i in unique}
        for chunk in chunked(unique, self.client.batch_size):
            found.update(self.client.associated_ids(from_type, to_type, chunk))
        return found


class CachedRecords(DirectRecords):
    """Redis first; what Redis lacks is read in batches and kept."""

    def __init__(self, client: HubSpotClient, cache: AccountCache) -> None:
        super().__init__(client)
        self.cache = cache.redis
        self.account = cache

    def read(self, kind: RecordType[M], ids: Iterable[str]) -> dict[str, M]:
        keys = {i: self.account.key(RECORD, kind.object_type, i) for i in dict.fromkeys(ids)}
        kept = {i: kind.model.model_validate_json(raw) for i, raw in self._get(keys).items()}
        fresh = super().read(kind, [i for i in keys if i not in kept])
        values = {keys[i]: record.model_dump_json() for i, record in fresh.items()}
        self._put(values, kind.keep_seconds)
        return kept | fresh

    def links(self, from_type: str, to_type: str, ids: Iterable[str]) -> dict[str, list[str]]:
        keys = {i: self.account.key(LINKS, from_type, to_type, i) for i in dict.fromkeys(ids)}
        kept = {i: json.loads(raw) for i, raw in self._get(keys).items()}
        fresh = super().links(from_type, to_type, [i for i in keys if i not in kept])
        values = {keys[i]: json.dumps(targets) for i, targets in fresh.items()}
        self._put(values, LINKS_KEEP_SECONDS)
        return kept | fresh

    def _get(self, keys: dict[str, str]) -> dict[str, bytes | str]:
        if not keys:
            return {}
        values = self.cache.mget(list(keys.values()))
        return {i: raw for i, raw in zip(keys, values, strict=True) if raw is not None}

    def _put(self, values: dict[str, str], ttl: int) -> None:
        if not values:
            return
        pipe = self.cache.pipeline(transaction=False)
        for key, value in values.items():
            pipe.set(key, value, ex=ttl)
        pipe.execute()


def chunked(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
