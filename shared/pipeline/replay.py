"""Re-run what failed: fetch the activities again and hand their runs back to the workers.

A failed run of an unchanged activity is retried in place; an activity edited since gets a
new run for its new version; one that is gone is recorded as skipped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from shared.hubspot.fetch import fetch_activities
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.fetching import dispatch_run, record_gone
from shared.pipeline.runtime import Runtime


@dataclass(frozen=True)
class ReplayResult:
    found: int
    dispatched: int
    gone: int


def replay(rt: Runtime, status: str, since: datetime) -> ReplayResult:
    by_type: dict[str, list[str]] = defaultdict(list)
    for activity_id, activity_type in rt.store.runs_with_status(status, since):
        by_type[activity_type].append(activity_id)
    found = dispatched = gone = 0
    portal_id = rt.account.details().portal_id  # the one account the token reads from
    for type_name, ids in by_type.items():
        activities = fetch_activities(rt.hubspot, KIND_BY_NAME[type_name], ids, cache=rt.redis)
        for activity in activities.values():
            dispatched += dispatch_run(rt, activity, portal_id, retry_failed=True)
        for missing in set(ids) - set(activities):
            record_gone(rt, missing, type_name, portal_id)
        found += len(set(ids))
        gone += len(set(ids) - set(activities))
    return ReplayResult(found=found, dispatched=dispatched, gone=gone)
