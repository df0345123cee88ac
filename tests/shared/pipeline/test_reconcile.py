"""Reconciliation against the simulator and real Redis and Postgres: lost events are found."""

from datetime import UTC, datetime, timedelta

import psycopg
import requests

from shared.cli import main
from shared.pipeline.fetching import fetch_pending, record_gone
from shared.pipeline.pending import PendingActivities
from shared.pipeline.processing import process_activity
from shared.pipeline.reconcile import RUNNING_KEY, reconcile
from shared.queues import FETCH_PENDING_TASK, PROCESS_ACTIVITY_TASK
from tests.conftest import PORTAL_ID
from tests.shared.pipeline.conftest import demo_ids

HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def process_everything(runtime, dispatcher) -> None:
    for object_type, portal_id in dispatcher.named(FETCH_PENDING_TASK):
        fetch_pending(runtime, object_type, f"f-{object_type}", portal_id)
    for args in dispatcher.named(PROCESS_ACTIVITY_TASK):
        process_activity(runtime, *args)
    dispatcher.sent.clear()


def test_activities_that_never_reached_the_pipeline_are_queued(runtime, dispatcher):
    notes = demo_ids(runtime, "note")

    result = reconcile(runtime, HOUR_AGO)

    assert result.missing == result.modified >= 25
    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == len(notes)
    assert {args[0] for args in dispatcher.named(FETCH_PENDING_TASK)} >= {"notes", "calls"}


def test_a_second_sweep_finds_nothing_once_everything_ran(runtime, dispatcher):
    reconcile(runtime, HOUR_AGO)
    process_everything(runtime, dispatcher)

    again = reconcile(runtime, HOUR_AGO)

    assert again.modified >= 25 and again.missing == 0
    assert dispatcher.sent == []


def test_an_edited_activity_is_found_again(runtime, dispatcher, simulator):
    reconcile(runtime, HOUR_AGO)
    process_everything(runtime, dispatcher)
    [note, *_] = demo_ids(runtime, "note")
    requests.patch(
        f"{simulator.url}/_admin/objects/notes/{note}",
        json={"properties": {"hs_note_body": "Dana signed today."}},
        timeout=10,
    )

    assert reconcile(runtime, HOUR_AGO).missing == 1
    assert PendingActivities(runtime.redis, PORTAL_ID).waiting("notes") == 1


def test_sweeps_pick_up_where_the_last_one_ended(runtime, dispatcher):
    first = reconcile(runtime, HOUR_AGO)
    second = reconcile(runtime)

    assert second.since > first.since
    assert second.since >= datetime.now(UTC) - timedelta(minutes=6)


def test_sweeps_never_overlap(runtime):
    runtime.redis.set(RUNNING_KEY, 1)

    assert reconcile(runtime, HOUR_AGO) is None


def test_the_cli_sweeps_and_says_what_it_queued(runtime, capsys):
    assert main(["reconcile", "--since", "1h"]) == 0

    out = capsys.readouterr().out
    assert "never processed, now queued" in out
    assert runtime.redis.llen("activities") >= 1  # fetches were sent to the workers


def test_a_run_whose_processing_message_was_lost_is_sent_again(runtime, dispatcher):
    reconcile(runtime, HOUR_AGO)
    for object_type, portal_id in dispatcher.named(FETCH_PENDING_TASK):
        fetch_pending(runtime, object_type, f"f-{object_type}", portal_id)
    lost = len(dispatcher.named(PROCESS_ACTIVITY_TASK))
    dispatcher.sent.clear()  # the processing messages never reach a worker

    again = reconcile(runtime, HOUR_AGO, stale_after=timedelta(0))
    for object_type, portal_id in dispatcher.named(FETCH_PENDING_TASK):
        fetch_pending(runtime, object_type, f"g-{object_type}", portal_id)

    assert again.missing == lost
    assert len(dispatcher.named(PROCESS_ACTIVITY_TASK)) == lost


def test_an_activity_first_seen_as_gone_is_processed_once_it_exists(runtime, dispatcher):
    """A webhook that arrived before HubSpot could serve the activity recorded it gone."""
    reconcile(runtime, HOUR_AGO)
    process_everything(runtime, dispatcher)
    [note, *_] = demo_ids(runtime, "note")
    with psycopg.connect(runtime.settings.database_url) as conn:
        conn.execute("delete from ai_processing_logs where activity_id = %s", (note,))
    record_gone(runtime.for_account(PORTAL_ID), note, "note")

    assert reconcile(runtime, HOUR_AGO).missing == 1
    process_everything(runtime, dispatcher)

    with psycopg.connect(runtime.settings.database_url) as conn:
        statuses = conn.execute(
            "select activity_version, status from ai_processing_logs where activity_id = %s",
            (note,),
        ).fetchall()
    assert sorted(status for _, status in statuses) == ["completed", "skipped"]
    assert reconcile(runtime, HOUR_AGO).missing == 0
