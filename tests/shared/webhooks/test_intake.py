"""EventIntake against a real Redis: one check and one mark-write per delivery, in that order."""

import pytest
import redis

from shared.webhooks.events import parse_events
from shared.webhooks.intake import SEEN_PREFIX, SEEN_TTL_SECONDS, EventIntake
from tests.webhook_signing import activity_event, body_of

THREE_DAYS = 3 * 24 * 3600


@pytest.fixture
def broker(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url, socket_timeout=5)


class Enqueued(list):
    def __call__(self, events):
        self.append(events)
        return f"task-{len(self)}"


def events(count=3, **extra):
    return parse_events(body_of([activity_event(event_id=i, **extra) for i in range(count)]))


def test_fresh_events_are_enqueued_once_and_marked_for_more_than_three_days(broker):
    enqueued = Enqueued()
    batch = events()

    result = EventIntake(broker, enqueued).accept(batch)

    assert (result.accepted, result.duplicates, result.task_id) == (3, 0, "task-1")
    assert [e["eventId"] for e in enqueued[0]] == [0, 1, 2]
    ttls = [broker.ttl(SEEN_PREFIX + event.identity) for event in batch]
    assert all(THREE_DAYS < ttl <= SEEN_TTL_SECONDS for ttl in ttls)


def test_only_the_unseen_part_of_a_delivery_is_enqueued(broker):
    enqueued = Enqueued()
    intake = EventIntake(broker, enqueued)
    intake.accept(events(2))

    result = intake.accept(events(4, attemptNumber=1))

    assert (result.accepted, result.duplicates) == (2, 2)
    assert [e["eventId"] for e in enqueued[1]] == [2, 3]


def test_a_failed_enqueue_marks_nothing(broker):
    def broken(_events):
        raise redis.ConnectionError("broker went away")

    batch = events()
    with pytest.raises(redis.ConnectionError):
        EventIntake(broker, broken).accept(batch)

    assert broker.keys(SEEN_PREFIX + "*") == []
    assert EventIntake(broker, Enqueued()).accept(batch).accepted == 3


def test_marks_are_written_after_redis_forgot_the_script(broker):
    intake = EventIntake(broker, Enqueued())
    broker.script_flush()

    intake.accept(events(1))

    assert intake.accept(events(1)).duplicates == 1


def test_enqueued_events_are_the_events_as_json(broker):
    enqueued = Enqueued()
    batch = events(2, sourceId="userId:9")

    EventIntake(broker, enqueued).accept(batch)

    assert enqueued[0] == [e.model_dump(mode="json", exclude_none=True) for e in batch]
