"""A step that fails while Redis is unreachable runs again once it answers, within a bound."""

import kombu.exceptions
import pytest
import redis

from shared.pipeline.outages import outage_wait_seconds, through_redis_outages
from shared.settings import load_settings


def failing(times: int, error: Exception):
    calls = []

    def step() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "done"

    return step, calls


@pytest.mark.parametrize(
    "error",
    [
        redis.exceptions.ConnectionError("Connection refused"),
        redis.exceptions.BusyLoadingError("loading the dataset"),  # just restarted
        redis.exceptions.TimeoutError("Timeout reading from socket"),
        kombu.exceptions.OperationalError("publish failed"),
    ],
)
def test_a_step_runs_again_while_redis_is_unreachable(error):
    step, calls = failing(3, error)
    pauses: list[float] = []

    assert through_redis_outages(step, wait_seconds=30, sleep=pauses.append) == "done"
    assert len(calls) == 4
    assert pauses == [0.2, 0.4, 0.8]


def test_past_the_wait_the_last_error_is_raised():
    step, calls = failing(100, redis.exceptions.ConnectionError("down"))

    with pytest.raises(redis.exceptions.ConnectionError):
        through_redis_outages(step, wait_seconds=0.5, sleep=lambda _: None)
    assert 1 < len(calls) < 100


def test_other_errors_are_not_retried():
    step, calls = failing(1, ValueError("a bug"))

    with pytest.raises(ValueError):
        through_redis_outages(step, wait_seconds=30, sleep=lambda _: None)
    assert len(calls) == 1


def test_the_wait_stays_well_inside_the_task_time_limit(monkeypatch):
    assert outage_wait_seconds(load_settings()) == 30
    monkeypatch.setenv("TASK_TIME_LIMIT_SECONDS", "20")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("LLM_MAX_ATTEMPTS", "1")
    assert outage_wait_seconds(load_settings()) == 10
