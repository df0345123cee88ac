from datetime import UTC, datetime, timedelta

from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.runtime import Runtime
from tests.webhook_signing import activity_event


def demo_ids(rt: Runtime, type_name: str) -> list[str]:
    since = datetime.now(UTC) - timedelta(days=365)
    return [i for i, _ in rt.hubspot.modified_since(KIND_BY_NAME[type_name], since)]


def event(object_id: str | int, **fields) -> dict:
    """A webhook event for a demo activity (ids from the simulator are strings)."""
    return activity_event(int(object_id), **fields)
