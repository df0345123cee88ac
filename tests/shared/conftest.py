"""Fixtures for code that runs inside workers: a runtime on the real servers and simulator."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from shared.pipeline.runtime import Runtime, build_runtime
from shared.settings import get_settings


@dataclass
class RecordingDispatcher:
    """Stands in for Celery's send_task: the tests run each task function themselves."""

    sent: list[tuple[str, list[Any], str, float | None]] = field(default_factory=list)

    def __call__(
        self, task_name: str, args: list[Any], queue: str, countdown: float | None = None
    ) -> None:
        self.sent.append((task_name, args, queue, countdown))

    def named(self, task_name: str) -> list[list[Any]]:
        return [args for name, args, _, _ in self.sent if name == task_name]


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
def runtime(database_url, redis_url, simulator, dispatcher) -> Runtime:
    rt = build_runtime(get_settings(), dispatcher)
    rt.hubspot.backoff_initial = 0.01
    yield rt
    rt.store.close()
