"""The processing task's work against real Postgres, through litellm's real call path."""

import dataclasses
import uuid
from zoneinfo import ZoneInfo

import psycopg

from shared.exposition import render
from shared.feedback.edits import AcceptRecord
from shared.hubspot.client import build_client
from shared.llm import client
from shared.llm.prompt import render_messages
from shared.pipeline.processing import has_content, process_activity
from shared.settings import get_settings
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID
from tests.prometheus_text import value
from tests.shared.store.conftest import make_activity, make_results


def run_row(database_url: str) -> tuple:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "select status, error_class, error_message, confidence_scores, attempts "
            "from ai_processing_logs"
        ).fetchone()


def queued(runtime, activity) -> str:
    return str(runtime.store.queue_run(activity, PORTAL_ID).run_id)


def test_an_activity_becomes_drafts_and_a_touch_date(runtime, database_url):
    activity = make_activity()

    outcome = process_activity(runtime, queued(runtime, activity), activity.model_dump(mode="json"))

    assert outcome == "completed"
    status, _, _, scores, attempts = run_row(database_url)
    assert (status, attempts) == ("completed", 1)
    assert scores["model"] == "local/heuristic"
    assert scores["prompt_version"] == "suggestions-v1"
    assert scores["prompt_tokens"] > 0 and scores["latency_ms"] >= 0
    with psycopg.connect(database_url) as conn:
        drafts = conn.execute("select count(*) from ai_generated_drafts").fetchone()[0]
        due = conn.execute("select recommended_due from touch_date_recommendations").fetchone()
    assert drafts >= 2 and due is not None
    metrics = render(runtime.redis)
    assert value(metrics, "pipeline_runs_total", outcome="completed") == 1
    assert value(metrics, "llm_call_seconds_count") == 1
    assert value(metrics, "llm_tokens_total", kind="prompt") > 0


def test_a_second_delivery_of_the_same_run_does_nothing(runtime, database_url):
    activity = make_activity()
    run_id = queued(runtime, activity)
    process_activity(runtime, run_id, activity.model_dump(mode="json"))

    assert process_activity(runtime, run_id, activity.model_dump(mode="json")) == "duplicate"
    with psycopg.connect(database_url) as conn:
        assert conn.execute("select count(*) from ai_generated_drafts").fetchone()[0] >= 2
        assert conn.execute("select count(*) from touch_date_recommendations").fetchone()[0] == 1


def test_an_activity_without_text_is_skipped_with_the_reason(runtime, database_url):
    activity = make_activity(body="", subject="")

    outcome = process_activity(runtime, queued(runtime, activity), activity.model_dump(mode="json"))

    assert outcome == "skipped"
    assert run_row(database_url)[:2] == ("skipped", "NothingToActOn")


def test_a_model_that_cannot_be_reached_fails_the_run_without_leaking_the_key(
    runtime, database_url
):
    runtime.llm = dataclasses.replace(
        runtime.llm,
        model="openai/gpt-test",
        api_base="http://127.0.0.1:1/v1",
        api_key="sk-live-secret-key-123456",
        max_attempts=2,
        timeout_seconds=1,
        backoff_initial=0.01,
        backoff_max=0.02,
    )
    runtime.settings = runtime.settings.model_copy(update={"llm_api_key": None})
    activity = make_activity()

    outcome = process_activity(runtime, queued(runtime, activity), activity.model_dump(mode="json"))

    status, error_class, message, _, _ = run_row(database_url)
    assert outcome == "failed"
    assert (status, error_class) == ("failed", "ModelUnavailable")
    assert message and "sk-live-secret-key-123456" not in message


def test_content_needs_two_words():
    assert has_content(make_activity(body="Send pricing", subject=""))
    assert not has_content(make_activity(body=" . ", subject="x"))


def opportunities(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        return conn.execute("select count(*) from opportunities").fetchone()[0]


def test_opportunities_are_written_only_when_switched_on(runtime, database_url):
    pricing = make_activity("601", body="Dana wants pricing for 50 seats; budget approved.")
    process_activity(runtime, queued(runtime, pricing), pricing.model_dump(mode="json"))
    assert opportunities(database_url) == 0

    runtime.llm = dataclasses.replace(runtime.llm, enable_opportunities=True)
    again = make_activity("602", body="Dana wants pricing for 50 seats; budget approved.")
    process_activity(runtime, queued(runtime, again), again.model_dump(mode="json"))
    assert opportunities(database_url) == 1


def test_every_line_of_a_run_carries_the_activitys_correlation_id(runtime, capsys):
    import io
    import json as jsonlib

    from shared.logging import configure_logging

    stream = io.StringIO()
    configure_logging(runtime.settings, stream=stream)
    activity = make_activity("777")

    process_activity(runtime, queued(runtime, activity), activity.model_dump(mode="json"))

    lines = [jsonlib.loads(line) for line in stream.getvalue().splitlines()]
    ours = [line for line in lines if line["logger"].startswith("shared.")]
    assert ours and all(line["correlation_id"] == "hubspot-activity-777" for line in ours)


def test_touch_dates_are_due_at_five_in_the_accounts_time_zone(
    start_simulator, runtime, database_url
):
    berlin = start_simulator(time_zone="Europe/Berlin")
    runtime.account.hubspot = build_client(get_settings())  # now HubSpot is the Berlin account
    activity = make_activity()

    process_activity(runtime, queued(runtime, activity), activity.model_dump(mode="json"))

    with psycopg.connect(database_url) as conn:
        [due] = conn.execute("select recommended_due from touch_date_recommendations").fetchone()
    local = due.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute) == (17, 0), due
    assert local.weekday() < 5
    assert runtime.account.known().portal_id == berlin.simulator.config.portal_id


def test_a_run_sent_with_the_accounts_zone_reads_nothing_else_first(runtime, database_url):
    """Processing needs neither Redis nor HubSpot before its model call (Redis may be down)."""
    runtime.account.hubspot.api_version = "2025-01"  # HubSpot would refuse every call
    activity = make_activity()

    outcome = process_activity(
        runtime,
        queued(runtime, activity),
        activity.model_dump(mode="json"),
        "Asia/Tokyo",
        PORTAL_ID,
    )

    assert outcome == "completed"
    assert runtime.account.known() is None  # never asked
    with psycopg.connect(database_url) as conn:
        [due] = conn.execute("select recommended_due from touch_date_recommendations").fetchone()
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).hour == 17


def test_an_opt_out_completes_with_no_draft_no_date_and_the_reason(runtime, database_url):
    activity = make_activity(
        activity_id="602",
        type="email",
        subject="RE: Q2 pricing",
        body="Please remove me from your mailing list. We are not interested.",
    )

    outcome = process_activity(
        runtime, queued(runtime, activity), activity.model_dump(mode="json"), "UTC"
    )

    assert outcome == "completed"
    with psycopg.connect(database_url) as conn:
        flag, reason = conn.execute("select flag, flag_reason from ai_processing_logs").fetchone()
        drafts = conn.execute("select count(*) from ai_generated_drafts").fetchone()[0]
        dates = conn.execute("select count(*) from touch_date_recommendations").fetchone()[0]
    assert (flag, drafts, dates) == ("opt_out", 0, 0)
    assert "remove me from your mailing list" in reason


def test_a_reps_favourite_tone_comes_first_and_their_edits_reach_the_prompt(
    runtime, database_url, monkeypatch
):
    first = make_activity("501")
    process_activity(runtime, queued(runtime, first), first.model_dump(mode="json"))
    *_, least_confident = runtime.store.activity_runs(PORTAL_ID, "501").runs[0]["drafts"]
    edited = least_confident["draft_text"] + " Best, Maria"
    record = AcceptRecord.of(least_confident["draft_text"], edited)
    draft_id = uuid.UUID(least_confident["id"])
    accepted = runtime.store.request_apply(
        RepOwner(PORTAL_ID, "301"), None, "draft", draft_id, {"text": edited}, record
    )
    prompts = []
    monkeypatch.setattr(
        client, "render_messages", lambda *args: prompts.append(args) or render_messages(*args)
    )

    second = make_activity("502")
    process_activity(runtime, queued(runtime, second), second.model_dump(mode="json"))

    assert accepted.outcome == "created"
    [drafts] = [run["drafts"] for run in runtime.store.activity_runs(PORTAL_ID, "502").runs]
    assert drafts[0]["tone"] == least_confident["tone"]
    assert drafts[0]["confidence"] < max(draft["confidence"] for draft in drafts)
    [(*_, voice_examples)] = prompts
    assert voice_examples == (edited,)


def test_the_same_owner_id_in_another_account_lends_no_voice(runtime, monkeypatch):
    elsewhere = RepOwner(PORTAL_ID + 1, "301")  # owner 301 of another account: someone else
    theirs = make_activity("503")
    run_id = runtime.store.queue_run(theirs, elsewhere.portal_id).run_id
    runtime.store.claim_run(run_id)
    runtime.store.complete_run(run_id, make_results())
    [draft, *_] = runtime.store.activity_runs(elsewhere.portal_id, "503").runs[0]["drafts"]
    record = AcceptRecord.of(draft["draft_text"], draft["draft_text"] + " Cheers, Ana")
    payload = {"text": record.final_text}
    runtime.store.request_apply(elsewhere, None, "draft", uuid.UUID(draft["id"]), payload, record)
    prompts = []
    monkeypatch.setattr(
        client, "render_messages", lambda *args: prompts.append(args) or render_messages(*args)
    )

    mine = make_activity("504")
    process_activity(runtime, queued(runtime, mine), mine.model_dump(mode="json"))

    [(*_, voice_examples)] = prompts
    assert voice_examples == ()
