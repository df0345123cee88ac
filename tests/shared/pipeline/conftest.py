from datetime import UTC, datetime, timedelta

from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.runtime import Runtime


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
