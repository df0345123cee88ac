"""How long the current task may still run, so every call inside it is bounded by that.

Celery's time limits are enforced only by pools that can kill a task; the Procfile's workers
use the threads pool, which cannot, so a task's limit lives here instead. The worker opens a
budget for each task (``task_budget``); every external call inside it takes the smaller of
its own timeout and what is left (``call_timeout``), retries wait no longer than that allows
(``wait_within``), and a call that cannot start in time raises ``OutOfTime``, which the task
records as a failure to be replayed rather than hanging on. A margin is kept at the end for
recording the outcome. Outside a task (the web process, tests) nothing is bounded here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Kept back from the task's limit: time to write the outcome once the last call gave up.
FINISH_MARGIN_SECONDS = 5.0
# A call given less than this could not do anything useful.
MIN_CALL_SECONDS = 1.0

_deadline: ContextVar[float | None] = ContextVar("task_deadline", default=None)


class OutOfTime(Exception):
    """The task's time budget is spent: no further call may start."""


@contextmanager
def task_budget(seconds: float) -> Iterator[None]:
    """Bound every call made inside the block by ``seconds`` (less the finishing margin)."""
    token = _deadline.set(time.monotonic() + seconds - FINISH_MARGIN_SECONDS)
    try:
        yield
    finally:
        _deadline.reset(token)


def seconds_left() -> float:
    """What the budget still allows; infinite outside a budget."""
    deadline = _deadline.get()
    return math.inf if deadline is None else deadline - time.monotonic()


def call_timeout(timeout: float) -> float:
    """The timeout for one call: its own, or what is left if that is less."""
    left = seconds_left()
    if left < MIN_CALL_SECONDS:
        raise OutOfTime(f"the task's time budget is spent ({max(left, 0):.1f} s left)")
    return min(timeout, left)


def wait_within(seconds: float) -> float:
    """A pause before a retry, cut so that a call still fits after it."""
    return max(0.0, min(seconds, seconds_left() - MIN_CALL_SECONDS))
