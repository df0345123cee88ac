import dataclasses
from datetime import UTC, datetime, timedelta

import psycopg

from shared.cli import main
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.fetching import dispatch_run
from shared.pipeline.processing import process_activity
from shared.pipeline.replay import replay
from shared.queues import PROCESS_ACTIVITY_TASK
from tests.conftest import PORTAL_ID
from tests.shared.pipeline.conftest import demo_ids

HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def fail_one_run(runtime, dispatcher) -> str:
    """Process a demo note with a model that cannot be reached, leaving a failed run."""
    [note_id, *_] = demo_ids(runtime, "note")
    activity = fetch_activity(runtime.hubspot, KIND_BY_NAME["note"], note_id)
    dispatch_run(runtime.for_account(PORTAL_ID), activity)
    [[run_id, payload, time_zone, portal_id]] = dispatcher.named(PROCESS_ACTIVITY_TASK)
    working = runtime.llm
    runtime.llm = dataclasses.replace(
        working,
        model="openai/x",
        api_base="http://127.0.0.1:1",
        api_key="k",
        max_attempts=1,
        timeout_seconds=1,
    )
    assert process_activity(runtime, run_id, payload, time_zone, portal_id) == "failed"
    runtime.llm = working
    dispatcher.sent.clear()
    return run_id


def test_a_failed_run_is_replayed_in_place_and_completes(runtime, dispatcher, database_url):
    run_id = fail_one_run(runtime, dispatcher)

    result = replay(runtime, "failed", HOUR_AGO)

    assert (result.found, result.dispatched, result.gone) == (1, 1, 0)
    [[replayed_id, payload, time_zone, portal_id]] = dispatcher.named(PROCESS_ACTIVITY_TASK)
    assert replayed_id == run_id
    assert portal_id == PORTAL_ID
    assert process_activity(runtime, replayed_id, payload, time_zone, portal_id) == "completed"
    with psycopg.connect(database_url) as conn:
        assert conn.execute("select status, attempts from ai_processing_logs").fetchall() == [
            ("completed", 2)
        ]


def test_nothing_to_replay_when_nothing_failed(runtime):
    assert replay(runtime, "failed", HOUR_AGO).found == 0


def test_the_cli_puts_replayed_runs_on_the_activities_queue(runtime, dispatcher, redis_url, capsys):
    fail_one_run(runtime, dispatcher)

    assert main(["replay", "--since", "1h"]) == 0

    assert "1 failed activities, 1 re-queued" in capsys.readouterr().out
    assert runtime.redis.llen("activities") == 1
