"""EventIntake: activity events, each once, as one message; nothing else touches Redis."""

import pytest
import redis

from shared.webhooks.events import parse_events
from shared.webhooks.intake import EventIntake
from tests.webhook_signing import activity_event, body_of


class Enqueued(list):
    def __call__(self, events):
        self.append(events)
        return f"task-{len(self)}"


def events(count=3, **extra):
    return parse_events(body_of([activity_event(event_id=i, **extra) for i in range(count)]))


def test_activity_events_are_enqueued_as_one_message():
    enqueued = Enqueued()

    result = EventIntake(enqueued).accept(events())

    assert (result.accepted, result.duplicates, result.ignored) == (3, 0, 0)
    assert result.task_id == "task-1"
    assert [[e["eventId"] for e in message] for message in enqueued] == [[0, 1, 2]]


def test_repeats_inside_a_delivery_are_dropped_and_counted():
    enqueued = Enqueued()
    batch = events(2) + events(2, attemptNumber=1)  # a retry's copy has the same identity

    result = EventIntake(enqueued).accept(batch)

    assert (result.accepted, result.duplicates) == (2, 2)
    assert [e["eventId"] for e in enqueued[0]] == [0, 1]


def test_other_object_types_are_ignored_and_a_delivery_of_only_those_enqueues_nothing():
    enqueued = Enqueued()

    result = EventIntake(enqueued).accept(events(2, type_id="0-1"))

    assert (result.accepted, result.ignored, result.task_id) == (0, 2, None)
    assert enqueued == []


def test_a_failed_enqueue_raises_so_the_delivery_is_answered_503():
    def broken(_events):
        raise redis.ConnectionError("broker went away")

    with pytest.raises(redis.ConnectionError):
        EventIntake(broken).accept(events())


def test_enqueued_events_are_the_events_as_json():
    enqueued = Enqueued()
    batch = events(2, sourceId="userId:9")

    EventIntake(enqueued).accept(batch)

    assert enqueued[0] == [e.model_dump(mode="json", exclude_none=True) for e in batch]
