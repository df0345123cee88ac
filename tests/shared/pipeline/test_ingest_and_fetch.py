"""Ingest and fetch, called directly against real Redis, Postgres and the simulator."""

import uuid

import psycopg

from shared.exposition import render
from shared.pipeline.fetching import fetch_pending
from shared.pipeline.ingest import ingest_events
from shared.pipeline.pending import PendingActivities
from shared.pipeline.processing import process_activity
from shared.queues import FETCH_PENDING_TASK, PROCESS_ACTIVITY_TASK
from tests.conftest import PORTAL_ID
from tests.prometheus_text import value
from tests.shared.pipeline.conftest import demo_ids, event


def logs(database_url: str) -> list[tuple]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "select activity_id, activity_version, status, error_class "
            "from ai_processing_logs order by activity_id"
        ).fetchall()


def accounts(database_url: str) -> set[tuple[str, str, int | None]]:
    """(table, activity, account) of every run and draft stored."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select 'run', activity_id, hubspot_portal_id from ai_processing_logs "
            "union select 'draft', activity_id, hubspot_portal_id from ai_generated_drafts"
        )
        return set(rows)


def test_runs_and_their_drafts_belong_to_the_account_the_token_reads(
    runtime, dispatcher, database_url
):
    [note, *_] = demo_ids(runtime, "note")
    deletion = event(424242, type_id="0-27", subscription="object.deletion", event_id=2)
    ingest_events(runtime, [event(note, event_id=1), deletion], task_id="t1")
    fetch_pending(runtime, "notes", "f1", PORTAL_ID)
    [processing] = dispatcher.named(PROCESS_ACTIVITY_TASK)

    assert process_activity(runtime, *processing) == "completed"

    assert accounts(database_url) == {
        ("run", note, PORTAL_ID),
        ("draft", note, PORTAL_ID),
        ("run", "424242", PORTAL_ID),
    }


def test_events_wait_for_one_coalesced_fetch(runtime, dispatcher):
    notes = demo_ids(runtime, "note")

    ingest_events(runtime, [event(notes[0], event_id=1)], task_id="t1")
    ingest_events(runtime, [event(notes[1], event_id=2), event(notes[2], event_id=3)], "t2")

    assert dispatcher.named(FETCH_PENDING_TASK) == [["notes", PORTAL_ID]]
    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 3


def test_a_duplicate_event_from_another_delivery_is_dropped(runtime, dispatcher):
    [note, *_] = demo_ids(runtime, "note")
    ingest_events(runtime, [event(note)], task_id="t1")
    PendingActivities(runtime.redis, PORTAL_ID).take_batch("notes", "f1", 100)

    ingest_events(runtime, [event(note)], task_id="t2")

    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 0


def test_a_redelivered_ingest_task_does_its_work_again(runtime, dispatcher):
    [note, *_] = demo_ids(runtime, "note")
    ingest_events(runtime, [event(note)], task_id="t1")
    PendingActivities(runtime.redis, PORTAL_ID).take_batch(
        "notes", "f1", 100
    )  # as if it crashed after

    ingest_events(runtime, [event(note)], task_id="t1")

    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 1


def test_a_deletion_is_recorded_as_skipped_once(runtime, database_url):
    deletion = event(424242, type_id="0-27", subscription="object.deletion")

    ingest_events(runtime, [deletion], task_id="t1")
    ingest_events(runtime, [deletion], task_id="t1")

    assert logs(database_url) == [("424242", "deleted", "skipped", "ActivityDeleted")]


def test_a_fetch_queues_one_run_per_activity_and_dispatches_it(runtime, dispatcher, database_url):
    notes = demo_ids(runtime, "note")
    ingest_events(runtime, [event(n, event_id=i) for i, n in enumerate(notes)], "t1")
    runtime.hubspot.calls.clear()

    assert fetch_pending(runtime, "notes", "f1", PORTAL_ID) == len(notes)

    processed = dispatcher.named(PROCESS_ACTIVITY_TASK)
    assert sorted(args[1]["id"] for args in processed) == sorted(notes)
    assert {args[2] for args in processed} == {"America/New_York"}  # the account's zone
    assert {status for _, _, status, _ in logs(database_url)} == {"queued"}
    # Five for the batch and one for the owner list (kept for ten minutes, so each run names
    # the rep of its owner); with empty caches the context adds an association read for the
    # notes' deals, the contacts' deal ids and deals, and the contacts' histories: five
    # association reads (one per activity type) and at most five batch reads.
    assert sum(runtime.hubspot.calls.values()) <= 19
    assert runtime.hubspot.calls["owners"] == 1
    assert all(args[1]["history"] for args in processed)  # the runs carry the context
    assert value(render(runtime.redis), "hubspot_calls_total", operation="batch_read") > 0


def test_an_activity_hubspot_does_not_know_is_skipped_as_gone(runtime, database_url):
    ingest_events(runtime, [event(987654321)], task_id="t1")

    fetch_pending(runtime, "notes", "f1", PORTAL_ID)

    assert logs(database_url) == [("987654321", "gone", "skipped", "ActivityGone")]


def test_a_version_already_taken_is_not_dispatched_again(runtime, dispatcher):
    [note, *_] = demo_ids(runtime, "note")
    ingest_events(runtime, [event(note, event_id=1)], "t1")
    fetch_pending(runtime, "notes", "f1", PORTAL_ID)
    [[run_id, _, _, _]] = dispatcher.named(PROCESS_ACTIVITY_TASK)
    runtime.store.claim_run(uuid.UUID(run_id))

    ingest_events(runtime, [event(note, event_id=2)], "t2")
    fetch_pending(runtime, "notes", "f2", PORTAL_ID)

    assert len(dispatcher.named(PROCESS_ACTIVITY_TASK)) == 1


def test_a_redelivered_fetch_resumes_its_in_flight_ids(runtime, dispatcher):
    notes = demo_ids(runtime, "note")[:2]
    ingest_events(runtime, [event(n, event_id=i) for i, n in enumerate(notes)], "t1")
    PendingActivities(runtime.redis, PORTAL_ID).take_batch(
        "notes", "f1", 100
    )  # then the worker died

    assert fetch_pending(runtime, "notes", "f1", PORTAL_ID) == 2
    assert len(dispatcher.named(PROCESS_ACTIVITY_TASK)) == 2


def test_when_hubspot_stays_down_ids_wait_for_a_later_fetch(runtime, dispatcher, simulator):
    from tests.devstack.hubspot_simulator.support import Admin

    notes = demo_ids(runtime, "note")[:2]
    ingest_events(runtime, [event(n, event_id=i) for i, n in enumerate(notes)], "t1")
    Admin(simulator.url).post("/faults", {"rate_limit_storm": True})
    runtime.hubspot.max_attempts = 2

    assert fetch_pending(runtime, "notes", "f1", PORTAL_ID) == 0

    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 2
    [*_, (name, args, _, countdown)] = dispatcher.sent
    assert (name, args, countdown) == (FETCH_PENDING_TASK, ["notes", PORTAL_ID], 60)
    assert dispatcher.named(PROCESS_ACTIVITY_TASK) == []


def test_events_of_another_hubspot_account_are_counted_not_processed(runtime, dispatcher):
    notes = demo_ids(runtime, "note")
    foreign = event(notes[0], event_id=1, portalId=999)

    ingest_events(runtime, [foreign, event(notes[1], event_id=2)], task_id="t1")

    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 1
    assert PendingActivities(runtime.redis, 999).waiting("notes") == 0
    rendered = render(runtime.redis)
    assert value(rendered, "webhook_events_unserved_total", status="not served") == 1


def test_events_are_processed_unchecked_while_hubspot_never_answered(runtime, dispatcher):
    [note, *_] = demo_ids(runtime, "note")
    runtime.hubspot.api_version = "2025-01"  # every call now fails: no account details yet

    ingest_events(runtime, [event(note, portalId=999)], task_id="t1")

    assert PendingActivities(runtime.redis, 999).waiting("notes") == 1  # not lost
    assert value(render(runtime.redis), "webhook_events_portal_unchecked_total") == 1
