"""Work that waits for HubSpot's daily API limit to reset, sent again once it has.

A task that needs HubSpot while an account's daily cap is in force (``DailyCapReached``)
parks itself, its task name, arguments, queue and account, instead of failing; the beat's
resume task sends each parked entry once its account's cap has lifted (HubSpot counts the
daily limit per account). Entries are keyed by the task, its arguments and account, so work
parked twice is sent once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import redis

from shared.hubspot.daily_cap import DailyCap
from shared.hubspot.errors import AccountUnavailable, HubSpotError
from shared.logging import get_logger

if TYPE_CHECKING:
    from shared.pipeline.runtime import Runtime

PARKED_KEY = "hubspot:parked"

log = get_logger(__name__)


def park(rt: Runtime, task_name: str, args: list[Any], queue: str) -> None:
    """``rt``: the runtime of the account whose cap was reached."""
    entry = json.dumps(
        {"task": task_name, "args": args, "queue": queue, "portal_id": rt.portal},
        sort_keys=True,
    )
    rt.redis.hset(PARKED_KEY, entry, "1")
    log.info("work_parked_until_daily_reset", task=task_name, queue=queue)


def parked_count(client: redis.Redis) -> int:
    return int(client.hlen(PARKED_KEY))


def resume_parked(rt: Runtime) -> int:
    """Send the parked work whose account's daily cap has lifted; returns how many were
    sent."""
    sent = 0
    for raw in rt.redis.hkeys(PARKED_KEY):
        entry = json.loads(raw)
        if _capped(rt, entry.get("portal_id")):
            continue
        rt.dispatch(entry["task"], entry["args"], entry["queue"])
        rt.redis.hdel(PARKED_KEY, raw)  # after sending: a crash in between sends it twice
        sent += 1
    if sent:
        log.info("parked_work_resumed", count=sent)
    return sent


def _capped(rt: Runtime, portal_id: int | None) -> bool:
    """Whether the account's daily cap is still in force (work parked before entries named
    their account was the static token's)."""
    if portal_id is None:
        return DailyCap(rt.redis).until() is not None
    try:
        cap = rt.for_account(portal_id).hubspot.daily_cap
    except (AccountUnavailable, HubSpotError):
        return False  # sent: its task waits for the account, or reports HubSpot's answer
    return cap is not None and cap.until() is not None
