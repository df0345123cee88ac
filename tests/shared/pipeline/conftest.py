from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.hubspot.models import KIND_BY_NAME
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


def demo_ids(rt: Runtime, type_name: str) -> list[str]:
    since = datetime.now(UTC) - timedelta(days=365)
    return [i for i, _ in rt.hubspot.modified_since(KIND_BY_NAME[type_name], since)]


def event(
    object_id: str | int,
    type_id: str = "0-46",
    event_id: int = 1,
    subscription: str = "object.creation",
) -> dict:
    return {
        "eventId": event_id,
        "subscriptionId": 11,
        "portalId": 62515,
        "appId": 4242,
        "occurredAt": 1_795_000_000_000 + event_id,
        "subscriptionType": subscription,
        "attemptNumber": 0,
        "objectId": int(object_id),
        "objectTypeId": type_id,
    }
