import json

import pytest

from shared.webhooks.events import BadPayload, parse_events
from tests.webhook_signing import activity_event, body_of


def test_well_formed_events_parse_and_keep_unknown_fields():
    [event] = parse_events(body_of([activity_event(sourceId="userId:9")]))

    assert event.objectId == 101
    assert event.model_dump()["sourceId"] == "userId:9"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"eventId": 1}', "JSON array of event objects"),
        (b"[1, 2]", "JSON array of event objects"),
        (b"[]", "no events"),
        (body_of([activity_event(event_id=i) for i in range(101)]), "at most 100"),
    ],
)
def test_bodies_that_are_not_event_arrays_are_refused(body, message):
    with pytest.raises(BadPayload, match=message):
        parse_events(body)


def test_each_problem_names_the_event_and_the_field():
    events = [activity_event(), {k: v for k, v in activity_event().items() if k != "occurredAt"}]
    events.append({**activity_event(), "portalId": "62515"})

    with pytest.raises(BadPayload) as caught:
        parse_events(body_of(events))

    problems = {(p["index"], p["field"]) for p in caught.value.problems}
    assert problems == {(1, "occurredAt"), (2, "portalId")}


@pytest.mark.parametrize("type_id", ["0-27", "0-46", "0-47", "0-48", "0-49"])
@pytest.mark.parametrize("subscription", ["object.creation", "object.deletion"])
def test_activity_creations_and_deletions_are_acted_on(type_id, subscription):
    [event] = parse_events(body_of([activity_event(type_id=type_id, subscription=subscription)]))
    assert event.is_activity_event


@pytest.mark.parametrize(
    "event",
    [
        activity_event(type_id="0-1"),  # a contact
        activity_event(type_id="0-3"),  # a deal
        activity_event(subscription="object.merge"),
        activity_event(subscription="object.associationChange"),
        activity_event(subscription="object.propertyChange", propertyName="hs_lastmodifieddate"),
        activity_event(subscription="object.propertyChange", propertyName="hs_unrelated"),
        {**activity_event(), "objectId": None},
    ],
)
def test_other_events_are_not_acted_on(event):
    [parsed] = parse_events(json.dumps([event]).encode())
    assert not parsed.is_activity_event


def test_relevant_property_changes_are_acted_on():
    event = activity_event(
        type_id="0-27", subscription="object.propertyChange", propertyName="hs_task_body"
    )
    [parsed] = parse_events(body_of([event]))
    assert parsed.is_activity_event


def test_identity_distinguishes_events_that_share_an_event_id():
    first, second = parse_events(
        body_of([activity_event(object_id=1, event_id=5), activity_event(object_id=2, event_id=5)])
    )
    assert first.identity != second.identity


def test_text_only_the_json_module_accepts_is_refused_with_the_reason():
    # A lone surrogate: pydantic's JSON parser refuses it, json.loads keeps it, and nothing
    # downstream could encode it again.
    body = body_of([activity_event()])[:-2] + b', "propertyValue": "\\ud800"}]'

    with pytest.raises(BadPayload, match="surrogate"):
        parse_events(body)


def test_a_long_batch_with_broken_events_is_refused_for_its_length():
    events = [{"eventId": i} for i in range(101)]

    with pytest.raises(BadPayload, match="at most 100"):
        parse_events(body_of(events))
