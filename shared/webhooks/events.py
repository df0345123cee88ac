"""Parse a webhook body into events, and decide which of them the pipeline acts on."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from shared import json_values
from shared.hubspot.models import KIND_BY_TYPE_ID, ActivityKind

MAX_EVENTS_PER_REQUEST = 100
PROPERTY_CHANGE = "object.propertyChange"
# A GDPR delete of a contact in HubSpot (a "hub event"): what the app derived from that
# contact's activities must go too.
PRIVACY_DELETION = "contact.privacyDeletion"
ACTIVITY_SUBSCRIPTIONS = {"object.creation", PROPERTY_CHANGE, "object.deletion"}
# Properties whose change is worth new suggestions: what the activity says, when, and whose.
_IGNORED_PROPERTIES = {"hs_createdate", "hs_lastmodifieddate"}


class Subscription(NamedTuple):
    """One kind of event: its subscription type, object type and, for a change, property."""

    subscriptionType: str
    objectTypeId: str
    propertyName: str | None = None


def processed_subscriptions() -> frozenset[Subscription]:
    """Every kind of event the pipeline acts on: each activity type's creation and deletion,
    and a change of any property it reads except the bookkeeping dates. The webhook
    subscriptions of the app in ``hubspot-app/`` are generated from these."""
    return frozenset(
        Subscription(subscription_type, type_id, name)
        for type_id, kind in KIND_BY_TYPE_ID.items()
        for subscription_type in ACTIVITY_SUBSCRIPTIONS
        for name in _property_names(subscription_type, kind)
    )


def _property_names(subscription_type: str, kind: ActivityKind) -> set[str | None]:
    if subscription_type != PROPERTY_CHANGE:
        return {None}
    return {name for name in kind.properties if name not in _IGNORED_PROPERTIES}


# Built once: is_activity_event runs for every event of every delivery.
_PROCESSED = processed_subscriptions()

# HubSpot's ids and millisecond times all fit in 64 bits.
PositiveId = Annotated[StrictInt, Field(ge=0, le=json_values.MAX_INTEGER)]


class WebhookEvent(BaseModel):
    """One event as HubSpot sends it; unknown fields are kept and passed along."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    eventId: PositiveId
    subscriptionId: PositiveId
    portalId: PositiveId
    occurredAt: PositiveId
    subscriptionType: Annotated[str, Field(min_length=1)]
    attemptNumber: PositiveId = 0
    appId: PositiveId | None = None
    objectId: PositiveId | None = None
    objectTypeId: str | None = None
    propertyName: str | None = None
    propertyValue: Any = None
    changeSource: str | None = None

    @field_validator("propertyValue")
    @classmethod
    def forwardable(cls, value: Any) -> Any:
        return json_values.checked(value)

    @property
    def identity(self) -> str:
        """Who this event is: eventId alone is not unique, so it is one part of five."""
        return (
            f"{self.portalId}:{self.subscriptionId}:{self.eventId}:"
            f"{self.objectId}:{self.occurredAt}"
        )

    @property
    def is_privacy_deletion(self) -> bool:
        return self.subscriptionType == PRIVACY_DELETION and self.objectId is not None

    @property
    def is_acted_on(self) -> bool:
        """An event the pipeline acts on: an activity's, or a contact's privacy deletion."""
        return self.is_activity_event or self.is_privacy_deletion

    @property
    def is_activity_event(self) -> bool:
        if self.objectId is None:
            return False
        # Only a change names its property; other events are matched without one.
        name = self.propertyName if self.subscriptionType == PROPERTY_CHANGE else None
        return (self.subscriptionType, self.objectTypeId, name) in _PROCESSED


class BadPayload(ValueError):
    """The body is not a list of well-formed events; ``problems`` says where and what."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


_EVENTS = TypeAdapter(list[WebhookEvent])


def parse_events(body: bytes) -> list[WebhookEvent]:
    try:
        # Well-formed deliveries take one pass through pydantic's JSON parser, twice as fast
        # as json.loads and validate_python. Whatever it refuses is parsed again as before,
        # which explains the problem (or accepts what only json.loads accepts).
        events = _EVENTS.validate_json(body)
    except ValidationError:
        return _parse_and_explain(body)
    _check_count(len(events))
    return events


def _parse_and_explain(body: bytes) -> list[WebhookEvent]:
    try:
        payload = json_values.loads(body)
    except ValueError as exc:
        raise BadPayload(str(exc)) from None
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise BadPayload("body must be a JSON array of event objects")
    _check_count(len(payload))
    try:
        return _EVENTS.validate_python(payload)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors(include_url=False, include_input=False)]
        raise BadPayload(
            "some events are missing required fields or have invalid ones", problems[:20]
        ) from None


def _check_count(count: int) -> None:
    if not count:
        raise BadPayload("body holds no events")
    if count > MAX_EVENTS_PER_REQUEST:
        raise BadPayload(f"at most {MAX_EVENTS_PER_REQUEST} events per request")


def dump_events(events: list[WebhookEvent]) -> list[dict[str, Any]]:
    """The events as JSON values for a task message, in one call rather than one per event."""
    dumped: list[dict[str, Any]] = _EVENTS.dump_python(events, mode="json", exclude_none=True)
    return dumped


def _problem(error: Any) -> dict[str, Any]:
    index, *field = error["loc"]
    return {"index": index, "field": ".".join(map(str, field)) or None, "problem": error["msg"]}
