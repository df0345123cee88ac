"""Riding out a Redis outage inside a task: run the step again once Redis answers.

The ingest and fetch steps keep their state in Redis (event claims, pending and in-flight
ids, the fetch schedule) and queue their follow-up tasks through it, the broker. While Redis
restarts they fail with a connection error, and a failed task is acknowledged
(``task_acks_late`` acknowledges failures too), so its events would wait for the next
reconciliation sweep. Both steps are written to be resumed by the same task id (their claims
and in-flight sets are keyed by it), so running the step again in the same task once Redis
is back is what a redelivery would do, without waiting for one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import kombu.exceptions
import redis

from shared.logging import get_logger
from shared.settings import Settings

T = TypeVar("T")

# Redis unreachable or still loading its data, or a publish to the broker that failed.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
)
FIRST_PAUSE_SECONDS = 0.2
LONGEST_PAUSE_SECONDS = 2.0
# A restart takes seconds; a longer outage is left to redelivery and reconciliation, as before.
LONGEST_WAIT_SECONDS = 30.0

log = get_logger(__name__)


def outage_wait_seconds(settings: Settings) -> float:
    """How long a task may wait for Redis: well inside its soft time limit."""
    return min(LONGEST_WAIT_SECONDS, settings.task_time_limit_seconds / 2)


def through_redis_outages(
    step: Callable[[], T], wait_seconds: float, sleep: Callable[[float], None] = time.sleep
) -> T:
    """``step()``, again after a pause while it fails because Redis is unreachable, for up to
    ``wait_seconds``; then the last error is raised, as it would have been at once."""
    deadline = time.monotonic() + wait_seconds
    pause, attempt = FIRST_PAUSE_SECONDS, 1
    while True:
        try:
            return step()
        except OUTAGE_ERRORS as exc:
            if time.monotonic() + pause > deadline:
                raise
            log.warning("redis_unavailable_retrying", attempt=attempt, error=str(exc)[:200])
        sleep(pause)
        pause, attempt = min(pause * 2, LONGEST_PAUSE_SECONDS), attempt + 1
