"""Work that waits for HubSpot's daily API limit to reset, sent again once it has.

A task that needs HubSpot while the daily cap is in force (``DailyCapReached``) parks
itself, its task name, arguments and queue, instead of failing; the beat's resume task
sends everything parked once the cap has lifted. Entries are keyed by the task and its
arguments, so work parked twice is sent once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import redis

from shared.hubspot.daily_cap import DailyCap
from shared.logging import get_logger

if TYPE_CHECKING:
    from shared.pipeline.runtime import Runtime

PARKED_KEY = "hubspot:parked"

log = get_logger(__name__)


def park(rt: Runtime, task_name: str, args: list[Any], queue: str) -> None:
    entry = json.dumps({"task": task_name, "args": args, "queue": queue}, sort_keys=True)
    rt.redis.hset(PARKED_KEY, entry, "1")
    log.info("work_parked_until_daily_reset", task=task_name, queue=queue)


def parked_count(client: redis.Redis) -> int:
    return int(client.hlen(PARKED_KEY))


def resume_parked(rt: Runtime) -> int:
    """Send the parked work once the daily cap has lifted; returns how many were sent."""
    if DailyCap(rt.redis).until() is not None:
        return 0
    sent = 0
    for raw in rt.redis.hkeys(PARKED_KEY):
        entry = json.loads(raw)
        rt.dispatch(entry["task"], entry["args"], entry["queue"])
        rt.redis.hdel(PARKED_KEY, raw)  # after sending: a crash in between sends it twice
        sent += 1
    if sent:
        log.info("parked_work_resumed", count=sent)
    return sent
