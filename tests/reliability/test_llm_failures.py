"""An unreliable model behind litellm's real OpenAI path: transient failures are retried
and the runs complete; permanent ones fail the run with its error class, and
``hubspot-ai replay`` sends them through again once the model is healthy.

The model is a small OpenAI-compatible server started here. It answers what the local
heuristic model would answer for the same prompt, fails 30% of calls with 429/500/503 (never
more than LLM_MAX_ATTEMPTS - 1 times in a row for one activity, so the retry budget always
suffices), and for some activities, by id, fails every call: always 500 (transient, so
retried until the budget is spent) or 401 (refused, so never retried).
"""

from __future__ import annotations

import contextlib
import io
import random
import threading
import time
from collections import Counter
from typing import Any

import psycopg
import pytest
from flask import Flask, request
from werkzeug.serving import make_server

from shared import cli
from shared.llm.heuristic import suggestions_for
from shared.llm.prompt import read_activity_block
from tests.reliability.conftest import create_activities, run_rows, wait_for_finished
from tests.workers.conftest import run_counts

pytestmark = pytest.mark.slow

ACTIVITIES = 50
MAX_ATTEMPTS = 3
TRANSIENT_RATE = 0.3
TRANSIENT_STATUSES = (429, 500, 503)
# Failures are drawn per (activity, call), so they do not depend on thread timing; with this
# seed the 40 healthy activities see 17 of their 57 calls fail (30%).
SEED = 11
API_KEY = "sk-flaky-test-key-0042"
BROKEN = {3: 500, 7: 401}  # activity id % 10 → the status every call for it gets


class FlakyModel:
    """An OpenAI-compatible chat server on loopback that fails calls on purpose."""

    def __init__(self, seed: int = SEED) -> None:
        self.broken = True
        self.hung = False  # takes calls and never answers them (until stopped)
        self._stopping = threading.Event()
        self.calls: Counter[str] = Counter()  # activity id → calls
        self.answers: Counter[str] = Counter()  # "answered", "transient", "permanent"
        self.seed = seed
        self._failed_in_a_row: Counter[str] = Counter()
        self._lock = threading.Lock()
        app = Flask(__name__)
        app.post("/v1/chat/completions")(self._complete)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def start(self) -> FlakyModel:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def _complete(self) -> tuple[dict[str, Any], int]:
        if self.hung:
            self._stopping.wait(300)
        payload = read_activity_block(request.get_json()["messages"][-1]["content"]) or {}
        status = self._status_for(str(payload.get("id")))
        if status != 200:
            return {"error": {"message": f"flaky {status}", "type": "flaky"}}, status
        content = suggestions_for(payload).model_dump_json()
        return _completion(content), 200

    def _status_for(self, activity_id: str) -> int:
        with self._lock:
            self.calls[activity_id] += 1
            status = BROKEN.get(int(activity_id) % 10, 200) if self.broken else 200
            if status != 200:
                self.answers["permanent"] += 1
                return status
            # Seeded per call of an activity: the same failures whichever thread asks first.
            dice = random.Random(f"{self.seed}:{activity_id}:{self.calls[activity_id]}")
            retries_left = self._failed_in_a_row[activity_id] < MAX_ATTEMPTS - 1
            if retries_left and dice.random() < TRANSIENT_RATE:
                self._failed_in_a_row[activity_id] += 1
                self.answers["transient"] += 1
                return dice.choice(TRANSIENT_STATUSES)
            self._failed_in_a_row[activity_id] = 0
            self.answers["answered"] += 1
        return 200


def _completion(content: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": content}
    return {
        "id": "chatcmpl-flaky",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "flaky-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 500, "completion_tokens": 200, "total_tokens": 700},
    }


@pytest.fixture
def model():
    server = FlakyModel().start()
    yield server
    server.stop()


def runs_by_activity(database_url: str) -> dict[str, tuple[str, str | None, int | None]]:
    """activity id → (status, error class, attempts recorded in confidence_scores)."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select activity_id, status, error_class, (confidence_scores ->> 'attempts')::int"
            " from ai_processing_logs"
        ).fetchall()
    return {activity: (status, error, attempts) for activity, status, error, attempts in rows}


def error_messages(database_url: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("select error_message from ai_processing_logs")
        return [message for (message,) in rows.fetchall() if message]


def replay_failed() -> str:
    """``hubspot-ai replay --status failed --since 1h``; what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["replay", "--status", "failed", "--since", "1h"]) == 0
    return out.getvalue().strip()


def test_transient_llm_failures_are_retried_and_permanent_ones_replayed(
    start_simulator, receiver_url, start_worker, database_url, model, tmp_path
):
    simulator = start_simulator(webhook_target_url=f"{receiver_url}/webhooks/hubspot")
    start_worker(
        concurrency=8,
        LLM_MODEL="openai/flaky-model",
        LLM_API_BASE=model.api_base,
        LLM_API_KEY=API_KEY,
        LLM_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
        LLM_TIMEOUT_SECONDS="10",
    )
    started = time.monotonic()
    records = create_activities(simulator.url, ACTIVITIES)
    wait_for_finished(database_url, ACTIVITIES, timeout=60, logs=tmp_path)
    first, messages = runs_by_activity(database_url), error_messages(database_url)
    first_answers, first_calls = Counter(model.answers), Counter(model.calls)

    model.broken = False
    replayed = replay_failed()
    wait_for_finished(database_url, ACTIVITIES, 60, tmp_path, statuses=("completed",))
    seconds = time.monotonic() - started

    broken = {r["id"]: BROKEN[int(r["id"]) % 10] for r in records if int(r["id"]) % 10 in BROKEN}
    healthy = [r["id"] for r in records if r["id"] not in broken]
    transient, permanent = first_answers["transient"], first_answers["permanent"]
    share = transient / (transient + first_answers["answered"])
    rows = run_rows(database_url)
    figures = (
        f"activities {ACTIVITIES}; model calls {first_answers.total()}: "
        f"{first_answers['answered']} answered, {transient} transient failures ({share:.0%} "
        f"of calls for healthy activities), {permanent} permanent ones; runs "
        f"{dict(Counter(status for status, _, _ in first.values()))}, error classes "
        f"{dict(Counter(error for _, error, _ in first.values() if error))}; "
        f"{replayed}; then runs {run_counts(database_url)}, "
        f"drafts {sum(r[3] for r in rows)}; {seconds:.1f} s"
    )
    print(f"\n[llm failures] {figures}")
    assert 0.25 <= share <= 0.35, figures
    assert all(first[a][0] == "completed" for a in healthy), figures
    assert all(first[a][2] == first_calls[a] for a in healthy), figures  # every call counted
    for activity, status in broken.items():
        error_class = "ModelUnavailable" if status == 500 else "ModelRejected"
        calls = MAX_ATTEMPTS if status == 500 else 1  # a 401 is never retried
        assert first[activity][:2] == ("failed", error_class), figures
        assert first_calls[activity] == calls, figures
    assert len(messages) == len(broken) and not [m for m in messages if API_KEY in m], messages
    assert replayed.startswith(
        f"replay: {len(broken)} failed activities, {len(broken)} re-queued"
    ), figures
    assert run_counts(database_url) == {"completed": ACTIVITIES}, figures
    assert len(rows) == ACTIVITIES, figures  # replayed in place: no second run
    assert all(drafts == 3 and recs == 1 for *_, drafts, recs in rows), figures


def run_times(database_url: str) -> list[tuple[str, str | None, str | None, float]]:
    """(status, error class, error message, seconds from claim to finish) of every run."""
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "select status, error_class, error_message,"
            " extract(epoch from finished_at - started_at)::float from ai_processing_logs"
        ).fetchall()


def test_a_model_that_never_answers_ends_the_run_failed_within_the_task_limit(
    start_simulator, receiver_url, start_worker, database_url, model, tmp_path
):
    """Three attempts of a 60 s timeout would hold each run for three minutes; the task's
    10 s limit holds on the threads pool, which enforces no Celery time limit itself."""
    model.hung, model.broken = True, False
    simulator = start_simulator(webhook_target_url=f"{receiver_url}/webhooks/hubspot")
    start_worker(
        concurrency=4,
        LLM_MODEL="openai/hung-model",
        LLM_API_BASE=model.api_base,
        LLM_API_KEY=API_KEY,
        LLM_MAX_ATTEMPTS="3",
        LLM_TIMEOUT_SECONDS="60",
        TASK_TIME_LIMIT_SECONDS="10",
    )
    started = time.monotonic()
    create_activities(simulator.url, 3)
    wait_for_finished(database_url, 3, timeout=40, logs=tmp_path)
    ended = run_times(database_url)

    model.hung = False
    replayed = replay_failed()
    wait_for_finished(database_url, 3, 60, tmp_path, statuses=("completed",))
    figures = (
        f"runs {[(status, error, round(seconds, 1)) for status, error, _, seconds in ended]}; "
        f"{replayed}; then {run_counts(database_url)}; {time.monotonic() - started:.1f} s"
    )
    print(f"\n[llm never answers] {figures}")
    assert all(status == "failed" and error == "ModelUnavailable" for status, error, *_ in ended)
    assert all("time budget" in message for _, _, message, _ in ended), figures
    assert all(seconds <= 10 for *_, seconds in ended), figures
    assert replayed.startswith("replay: 3 failed activities, 3 re-queued"), figures
