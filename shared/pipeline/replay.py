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

    def __add__(self, other: ReplayResult) -> ReplayResult:
        return ReplayResult(
            self.found + other.found, self.dispatched + other.dispatched, self.gone + other.gone
        )


def replay(rt: Runtime, status: str, since: datetime) -> ReplayResult:
    """Each account's runs with its own client; runs stored before rows named their account
    are the static token's account's. Raises ``AccountUnavailable`` for a lost account."""
    by_account: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for portal_id, activity_id, activity_type in rt.store.runs_with_status(status, since):
        portal = portal_id if portal_id is not None else rt.token_account()
        by_account[portal][activity_type].append(activity_id)
    result = ReplayResult(found=0, dispatched=0, gone=0)
    for portal_id, by_type in by_account.items():
        result = result + _replay_account(rt.for_account(portal_id), by_type)
    return result


def _replay_account(rt: Runtime, by_type: dict[str, list[str]]) -> ReplayResult:
    found = dispatched = gone = 0
    for type_name, ids in by_type.items():
        activities = fetch_activities(rt.hubspot, KIND_BY_NAME[type_name], ids, cache=rt.cache)
        for activity in activities.values():
            dispatched += dispatch_run(rt, activity, retry_failed=True)
        for missing in set(ids) - set(activities):
            record_gone(rt, missing, type_name)
        found += len(set(ids))
        gone += len(set(ids) - set(activities))
    return ReplayResult(found=found, dispatched=dispatched, gone=gone)
