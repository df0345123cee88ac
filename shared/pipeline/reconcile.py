"""The safety net of a static install: ask HubSpot what changed in the token's account since
the last sweep and send every activity version the pipeline still owes work — never seen (a
missed webhook, a Redis restart), or queued long ago and never picked up (a lost message) —
through the normal fetch path, which shares its idempotency, so nothing is processed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from shared.hubspot.daily_cap import DailyCapReached
from shared.hubspot.models import KINDS
from shared.logging import get_logger
from shared.pipeline.ingest import schedule_fetch
from shared.pipeline.pending import PendingActivities
from shared.pipeline.runtime import Runtime
from shared.redis_text import as_text

LAST_SWEEP = "reconcile:last-sweep"  # account key: where the next sweep starts
RUNNING_KEY = "reconcile:running"
RUNNING_HOLD_SECONDS = 600  # a crashed sweep releases its hold after this
# Sweeps overlap a little: HubSpot's search index trails its writes by a few seconds.
OVERLAP = timedelta(minutes=5)
FIRST_SWEEP = timedelta(days=1)
# A run still 'queued' this long after it was created lost its processing message.
STALE_QUEUED = timedelta(minutes=10)

log = get_logger(__name__)


@dataclass(frozen=True)
class SweepResult:
    since: datetime
    modified: int
    missing: int


def reconcile(
    rt: Runtime, since: datetime | None = None, stale_after: timedelta = STALE_QUEUED
) -> SweepResult | None:
    """One sweep; None when another sweep is still running (sweeps never overlap) or the
    daily API limit is used up."""
    if not rt.redis.set(RUNNING_KEY, 1, nx=True, ex=RUNNING_HOLD_SECONDS):
        return None
    try:
        return _sweep(rt, since, stale_after)
    except DailyCapReached as exc:
        # The last sweep's time stays, so the first sweep after the reset covers today.
        log.info("reconcile_waits_for_daily_reset", until=str(exc.until))
        return None
    finally:
        rt.redis.delete(RUNNING_KEY)


def _sweep(rt: Runtime, since: datetime | None, stale_after: timedelta) -> SweepResult:
    started = datetime.now(UTC)
    rt = rt.for_token_account()
    since = since or _last_sweep(rt) or started - FIRST_SWEEP
    pending = PendingActivities(rt.redis, rt.portal)
    modified = missing = 0
    for kind in KINDS:
        versions = [
            (activity_id, modified_at.isoformat() if modified_at else "")
            for activity_id, modified_at in rt.hubspot.modified_since(kind, since)
        ]
        stale = int(stale_after.total_seconds())
        lost = rt.store.versions_needing_work(rt.portal, versions, stale)
        modified, missing = modified + len(versions), missing + len(lost)
        if lost:
            pending.add(kind.object_type, [activity_id for activity_id, _ in lost])
            schedule_fetch(rt, pending, kind.object_type)
    rt.redis.set(rt.cache.key(LAST_SWEEP), (started - OVERLAP).isoformat())
    log.info("reconciled", since=since.isoformat(), modified=modified, missing=missing)
    return SweepResult(since, modified, missing)


def _last_sweep(rt: Runtime) -> datetime | None:
    value = rt.redis.get(rt.cache.key(LAST_SWEEP))
    return datetime.fromisoformat(as_text(value)) if value else None
