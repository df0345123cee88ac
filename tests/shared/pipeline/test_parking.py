"""Work that meets HubSpot's daily cap is parked and completes after the reset."""

from shared.hubspot.daily_cap import CAP_KEY
from shared.pipeline.fetching import fetch_pending
from shared.pipeline.ingest import ingest_events
from shared.pipeline.parking import parked_count, resume_parked
from shared.pipeline.pending import PendingActivities
from shared.queues import FETCH_PENDING_TASK, PROCESS_ACTIVITY_TASK
from tests.conftest import PORTAL_ID
from tests.shared.pipeline.conftest import demo_ids, event


def midnight(runtime, simulator) -> None:
    """HubSpot's daily count starts again, and the cap's key expires with it."""
    simulator.simulator.limiter.reset()
    runtime.redis.delete(CAP_KEY)


def test_a_fetch_during_the_cap_is_parked_and_runs_after_the_reset(runtime, dispatcher, simulator):
    [note, *_] = demo_ids(runtime, "note")
    ingest_events(runtime, [event(note)], task_id="t1")
    runtime.hubspot.daily_cap.reach()

    assert fetch_pending(runtime, "notes", "f1", PORTAL_ID) == 0
    assert parked_count(runtime.redis) == 1
    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 1  # not lost
    assert resume_parked(runtime) == 0  # the cap still holds

    midnight(runtime, simulator)
    assert resume_parked(runtime) == 1
    [name, args, _, _] = dispatcher.sent[-1]
    assert (name, args) == (FETCH_PENDING_TASK, ["notes", PORTAL_ID])
    assert fetch_pending(runtime, "notes", "f2", PORTAL_ID) == 1
    assert dispatcher.named(PROCESS_ACTIVITY_TASK)
    assert parked_count(runtime.redis) == 0
