"""A contact's (or company's) latest activities, kept in Redis for every worker.

A history is backfilled from HubSpot the first time it is asked for, then kept up to date by
every activity the service fetches (write-through), until it expires and is read afresh.
Write-through only adds to a history that was backfilled, so a kept history is never one
that holds only what the service happened to see.

A cold backfill reads, for up to ``batch_size`` contacts at once, their activity ids (one
batch association read per activity type) and then only the newest few per contact (batch
reads). Searching instead (``associations.contact`` filter, sorted by ``hs_timestamp``)
would read the newest directly, but it takes one search per type and per contact, and
HubSpot allows about 5 searches a second per account: a burst of single activities would
queue behind it. Batch reads share the ordinary burst budget and cost the same for one
contact as for a hundred. Activity ids grow with creation across the five types, so the
newest ids stand for the newest activities; those read are ordered by their timestamps.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import redis

from shared.account_keys import AccountCache
from shared.deadline import wait_within
from shared.hubspot.models import KINDS, Activity, PastActivity
from shared.hubspot.parse import parse_activity
from shared.hubspot.records import chunked

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

Subject = tuple[str, str]  # ("contacts" | "companies", id)
Histories = dict[Subject, list[PastActivity]]

HISTORY = "history"  # account key + subject type + id -> PastActivity list (JSON)
KEEP_SECONDS = 6 * 3600
KEEP_ITEMS = 6  # the prompt shows 5; one more stands in for the activity being processed
BODY_CHARS = 300
MERGE_ATTEMPTS = 5
FILL = "history-fill"  # account key + subject: a worker is backfilling that history
FILL_CLAIM_SECONDS = 60  # outlives a backfill; a worker that died lets go after it
FILL_WAIT_SECONDS = 5.0
FILL_POLL_SECONDS = 0.05


def brief(activity: Activity) -> PastActivity:
    """What a history keeps of an activity: its kind, date, direction, subject, first words."""
    return PastActivity(
        id=activity.id,
        type=activity.type,
        occurred_at=activity.occurred_at,
        direction=activity.direction,
        subject=activity.subject[:BODY_CHARS],
        body=" ".join(activity.body[: BODY_CHARS * 2].split())[:BODY_CHARS],
    )


def subjects_of(activity: Activity) -> list[Subject]:
    """The histories an activity belongs to: each of its contacts' and companies'."""
    return [("contacts", c.id) for c in activity.contacts] + [
        ("companies", c.id) for c in activity.companies
    ]


class HistoryCache:
    def __init__(self, client: HubSpotClient, cache: AccountCache) -> None:
        self.client = client
        self.cache = cache.redis
        self.account = cache

    def histories(self, subjects: Iterable[Subject]) -> Histories:
        """Each subject's newest activities, newest first; backfilled where none is kept.

        One worker backfills a subject at a time: in a burst, workers fetching the same
        contacts would otherwise all read the same histories. The others wait for it a few
        seconds, then read what is still missing themselves.
        """
        wanted = list(dict.fromkeys(subjects))
        found = self._kept(wanted)
        claimed = self._claim([s for s in wanted if s not in found])
        try:
            found |= self._kept(claimed)  # filled between the first look and the claim
            found |= self._backfill([s for s in claimed if s not in found])
        finally:
            self._release(claimed)
        found |= self._awaited([s for s in wanted if s not in found])
        return found | self._backfill([s for s in wanted if s not in found])

    def write_through(self, activities: Iterable[Activity]) -> None:
        """Add freshly fetched activities to the histories that are kept (not to others)."""
        by_subject: dict[Subject, list[PastActivity]] = defaultdict(list)
        for activity in activities:
            for subject in subjects_of(activity):
                by_subject[subject].append(brief(activity))
        for subject, items in by_subject.items():
            self._merge(self._key(subject), items)

    def _claim(self, subjects: list[Subject]) -> list[Subject]:
        if not subjects:
            return []
        pipe = self.cache.pipeline(transaction=False)
        for subject in subjects:
            pipe.set(self._key(subject, FILL), "1", nx=True, ex=FILL_CLAIM_SECONDS)
        return [s for s, won in zip(subjects, pipe.execute(), strict=True) if won]

    def _release(self, subjects: list[Subject]) -> None:
        if subjects:
            self.cache.delete(*(self._key(subject, FILL) for subject in subjects))

    def _awaited(self, subjects: list[Subject]) -> Histories:
        """What other workers backfill for these subjects within ``FILL_WAIT_SECONDS``."""
        found: Histories = {}
        deadline = time.monotonic() + wait_within(FILL_WAIT_SECONDS)
        while subjects and time.monotonic() < deadline:
            time.sleep(FILL_POLL_SECONDS)
            found |= self._kept(subjects)
            subjects = [s for s in subjects if s not in found]
        return found

    def _kept(self, subjects: list[Subject]) -> Histories:
        if not subjects:
            return {}
        values = self.cache.mget([self._key(subject) for subject in subjects])
        return {
            subject: [PastActivity.model_validate(item) for item in json.loads(raw)]
            for subject, raw in zip(subjects, values, strict=True)
            if raw is not None
        }

    def _key(self, subject: Subject, name: str = HISTORY) -> str:
        return self.account.key(name, subject[0], subject[1])

    def _merge(self, key: str, items: list[PastActivity]) -> None:
        """Read-modify-write under WATCH: two workers adding to one history both land. After
        a few lost races the items are left out: the history is read afresh when it expires."""
        with self.cache.pipeline() as pipe:
            for _ in range(MERGE_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    if raw is None:
                        return
                    current = [PastActivity.model_validate(item) for item in json.loads(raw)]
                    pipe.multi()
                    pipe.set(key, _dump(newest(current + items)), keepttl=True)
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue

    def _backfill(self, subjects: list[Subject]) -> Histories:
        found: Histories = {}
        for subject_type in ("contacts", "companies"):
            ids = [i for kind, i in subjects if kind == subject_type]
            for chunk in chunked(ids, self.client.batch_size):
                found |= self._backfill_chunk(subject_type, chunk)
        if found:
            pipe = self.cache.pipeline(transaction=False)
            for subject, items in found.items():
                pipe.set(self._key(subject), _dump(items), ex=KEEP_SECONDS)
            pipe.execute()
        return found

    def _backfill_chunk(self, subject_type: str, ids: list[str]) -> Histories:
        """Newest activity ids per subject (one association read per type), then those read."""
        candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for kind in KINDS:
            links = self.client.associated_ids(subject_type, kind.object_type, ids)
            for subject_id, targets in links.items():
                candidates[subject_id] += [(int(t), kind.object_type) for t in targets]
        picked = {
            subject_id: sorted(found, reverse=True)[:KEEP_ITEMS]
            for subject_id, found in candidates.items()
        }
        briefs = self._read_briefs({pick for picks in picked.values() for pick in picks})
        return {
            (subject_type, subject_id): newest(
                briefs[str(i)] for i, _ in picked.get(subject_id, []) if str(i) in briefs
            )
            for subject_id in ids
        }

    def _read_briefs(self, picks: set[tuple[int, str]]) -> dict[str, PastActivity]:
        by_type: dict[str, list[str]] = defaultdict(list)
        for activity_id, object_type in sorted(picks):
            by_type[object_type].append(str(activity_id))
        briefs: dict[str, PastActivity] = {}
        for kind in KINDS:
            for chunk in chunked(by_type.get(kind.object_type, []), self.client.batch_size):
                for obj in self.client.batch_read(kind.object_type, chunk, kind.properties):
                    briefs[str(obj["id"])] = brief(parse_activity(kind, obj, [], []))
        return briefs


def newest(items: Iterable[PastActivity]) -> list[PastActivity]:
    """One entry per activity (the last given wins), newest first, at most ``KEEP_ITEMS``."""
    unique = {item.id: item for item in items}
    ordered = sorted(unique.values(), key=_when, reverse=True)
    return ordered[:KEEP_ITEMS]


def _when(item: PastActivity) -> tuple[float, int]:
    stamp = item.occurred_at.timestamp() if item.occurred_at else 0.0
    return stamp, int(item.id) if item.id.isdigit() else 0


def _dump(items: list[PastActivity]) -> str:
    return json.dumps([item.model_dump(mode="json") for item in items])
