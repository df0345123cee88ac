"""A task's time budget bounds each call inside it."""

import math
import time

import pytest

from shared.deadline import (
    FINISH_MARGIN_SECONDS,
    MIN_CALL_SECONDS,
    OutOfTime,
    call_timeout,
    seconds_left,
    task_budget,
    wait_within,
)


def test_outside_a_task_nothing_is_cut():
    assert seconds_left() == math.inf
    assert call_timeout(30) == 30
    assert wait_within(8) == 8


def test_inside_a_task_a_call_gets_what_is_left_less_the_margin():
    with task_budget(FINISH_MARGIN_SECONDS + 10):
        assert 9 < call_timeout(30) <= 10
        assert call_timeout(2) == 2
        assert wait_within(30) <= 10 - MIN_CALL_SECONDS
    assert seconds_left() == math.inf


def test_a_spent_budget_lets_no_call_start():
    with task_budget(FINISH_MARGIN_SECONDS + MIN_CALL_SECONDS + 0.2):
        assert call_timeout(30) > MIN_CALL_SECONDS
        time.sleep(0.3)
        assert wait_within(5) == 0
        with pytest.raises(OutOfTime, match="time budget is spent"):
            call_timeout(30)


def test_budgets_nest_and_restore():
    with task_budget(100):
        with task_budget(FINISH_MARGIN_SECONDS + 3):
            assert call_timeout(30) <= 3
        assert call_timeout(30) == 30
