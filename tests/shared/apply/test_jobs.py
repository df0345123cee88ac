"""Apply jobs against real Postgres and the simulator: HubSpot is written exactly once."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from shared.apply.jobs import CHANGED, DELETED, REASSIGNED, apply_job
from shared.apply.writes import JOB_ID_PROPERTY
from shared.exposition import render
from shared.hubspot.client import build_client
from shared.hubspot.daily_cap import CAP_KEY
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.fetching import dispatch_run
from shared.pipeline.parking import resume_parked
from shared.pipeline.processing import process_activity
from shared.queues import APPLY_JOB_TASK, PROCESS_ACTIVITY_TASK
from shared.review.inbox import CACHE_PREFIX, ActivitySummaries
from shared.settings import get_settings
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID
from tests.devstack.hubspot_simulator.support import Admin
from tests.prometheus_text import value
from tests.shared.pipeline.conftest import demo_ids
from tests.shared.store.conftest import make_result_row


@pytest.fixture
def user(database_url) -> uuid.UUID:
    with psycopg.connect(database_url) as conn:
        query = "insert into auth.users (email) values ('maria@example.com') returning id"
        return conn.execute(query).fetchone()[0]


def processed(runtime, dispatcher, type_name: str, activity_id: str | None = None):
    """A demo activity of this type (its first, unless named), processed: (activity, run)."""
    activity_id = activity_id or demo_ids(runtime, type_name)[0]
    activity = fetch_activity(runtime.hubspot, KIND_BY_NAME[type_name], activity_id)
    dispatch_run(runtime.for_account(PORTAL_ID), activity)
    [run_id, payload, time_zone, _] = dispatcher.named(PROCESS_ACTIVITY_TASK)[-1]
    assert process_activity(runtime, run_id, payload, time_zone) == "completed"
    [run] = runtime.store.activity_runs(PORTAL_ID, activity.id).runs
    return activity, run


def owner_of(activity) -> RepOwner:
    return RepOwner(PORTAL_ID, activity.owner_id)


def accept(runtime, user, activity, kind, target, payload=None) -> str:
    request = runtime.store.request_apply(
        owner_of(activity), user, kind, uuid.UUID(target), payload or {}
    )
    assert request.outcome == "created"
    return request.job_id


def run_woken_jobs(runtime, dispatcher) -> list[str]:
    """Run every apply job a finishing job sent on (not the delayed safety nets), as the
    apply worker would, until none is left; their outcomes."""
    outcomes, seen = [], 0
    while seen < len(dispatcher.sent):
        name, args, _, countdown = dispatcher.sent[seen]
        seen += 1
        if name == APPLY_JOB_TASK and countdown is None:
            outcomes.append(apply_job(runtime, args[0]))
    return outcomes


def writes(simulator, kind: str) -> list[dict]:
    return Admin(simulator.url).get("/writes", objectType="tasks", kind=kind)["results"]


def task_notes(simulator, task_id: str) -> str:
    """The task's notes as HubSpot stores them, read back through the API."""
    answer = requests.get(
        f"{simulator.url}/crm/objects/2026-03/tasks/{task_id}",
        params={"properties": "hs_task_body"},
        headers={
            "Authorization": f"Bearer {get_settings().hubspot_access_token.get_secret_value()}"
        },
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["properties"]["hs_task_body"]


def set_task_notes(simulator, task_id: str, notes: str) -> None:
    """The rep edits the task's notes in HubSpot."""
    answer = requests.patch(
        f"{simulator.url}/_admin/objects/tasks/{task_id}",
        json={"properties": {"hs_task_body": notes}},
        timeout=10,
    )
    answer.raise_for_status()


def test_an_accepted_draft_goes_below_the_notes_the_rep_wrote(runtime, dispatcher, simulator, user):
    task, run = processed(runtime, dispatcher, "task")
    notes = task_notes(simulator, task.id)
    assert notes  # the demo task has the rep's own notes
    job = accept(runtime, user, task, "draft", run["drafts"][0]["id"], {"text": "Edited!"})

    assert apply_job(runtime, job) == "applied"
    assert apply_job(runtime, job) == "duplicate"

    [update] = writes(simulator, "update")
    assert update["objectId"] == task.id
    assert update["properties"] == {"hs_task_body": f"{notes}\n\nEdited!"}
    assert task_notes(simulator, task.id) == f"{notes}\n\nEdited!"
    assert runtime.store.get_job(owner_of(task), uuid.UUID(job)).status == "applied"
    assert value(render(runtime.redis), "apply_jobs_total", outcome="applied") == 1


def test_a_rep_may_choose_that_the_draft_replaces_the_notes(runtime, dispatcher, simulator, user):
    task, run = processed(runtime, dispatcher, "task")
    payload = {"text": "Only this.", "task_body": "replace"}
    job = accept(runtime, user, task, "draft", run["drafts"][0]["id"], payload)

    assert apply_job(runtime, job) == "applied"

    assert task_notes(simulator, task.id) == "Only this."


def test_rich_text_notes_get_the_draft_as_rich_text(runtime, dispatcher, simulator, user):
    task_id = demo_ids(runtime, "task")[0]
    notes = "<p>Confirm <strong>onboarding</strong> is included</p>"
    set_task_notes(simulator, task_id, notes)
    task, run = processed(runtime, dispatcher, "task", task_id)
    job = accept(
        runtime, user, task, "draft", run["drafts"][0]["id"], {"text": "Hi <Kevin>,\nyes."}
    )

    assert apply_job(runtime, job) == "applied"

    assert task_notes(simulator, task.id) == f"{notes}<br><br>Hi &lt;Kevin&gt;,<br>yes."


def test_an_applied_job_says_which_task_it_wrote_and_where_to_open_it(
    runtime, dispatcher, simulator, user
):
    note, run = processed(runtime, dispatcher, "note")
    job = accept(runtime, user, note, "draft", run["drafts"][0]["id"])

    assert apply_job(runtime, job) == "applied"

    [created] = writes(simulator, "create")
    shown = runtime.store.get_job(owner_of(note), uuid.UUID(job)).written_task
    account = runtime.account.details()
    assert shown["task_id"] == str(created["objectId"]) and shown["created"] is True
    assert shown["subject"] == created["properties"]["hs_task_subject"]
    assert shown["subject"].startswith("Follow up: ")
    assert shown["due_at"]
    contact = note.contacts[0].id
    assert shown["record_url"] == (
        f"https://app.hubspot.com/contacts/{account.portal_id}/record/0-1/{contact}"
    )


def test_applied_dates_become_the_tasks_due_date_and_reminder(runtime, dispatcher, simulator, user):
    task, run = processed(runtime, dispatcher, "task")
    due = "2026-12-10T17:00:00+00:00"
    job = accept(
        runtime, user, task, "recommendation", run["recommendation"]["id"], {"recommended_due": due}
    )
    summaries = ActivitySummaries(runtime.hubspot, runtime.redis, PORTAL_ID)
    summaries.current([make_result_row("task", task.id)])  # the inbox's copy

    assert apply_job(runtime, job) == "applied"
    assert runtime.redis.keys(f"{CACHE_PREFIX}*") == []  # so the inbox shows the new due date

    [update] = writes(simulator, "update")
    assert update["properties"]["hs_timestamp"] == "2026-12-10T17:00:00.000Z"
    assert "hs_task_reminders" in update["properties"]


def test_a_note_gets_one_follow_up_task_for_all_its_jobs(runtime, dispatcher, simulator, user):
    note, run = processed(runtime, dispatcher, "note")
    draft_job = accept(runtime, user, note, "draft", run["drafts"][0]["id"])
    date_job = accept(runtime, user, note, "recommendation", run["recommendation"]["id"])

    assert apply_job(runtime, draft_job) == "applied"
    assert apply_job(runtime, date_job) == "applied"

    [created] = writes(simulator, "create")
    assert created["properties"]["hs_task_body"] == run["drafts"][0]["draft_text"]
    assert created["properties"]["hubspot_owner_id"] == note.owner_id
    linked = {(link["toObjectType"], link["toObjectId"]) for link in created["associations"]}
    assert {("contacts", c.id) for c in note.contacts} <= linked
    [update] = writes(simulator, "update")
    assert update["objectId"] == created["objectId"]


@pytest.mark.parametrize("repeat", range(3))
def test_jobs_of_one_run_applied_at_the_same_moment_make_one_task(
    runtime, dispatcher, simulator, user, repeat
):
    """Every draft accepted and the dates applied at once: the jobs take turns."""
    note, run = processed(runtime, dispatcher, "note")
    jobs = [accept(runtime, user, note, "draft", draft["id"]) for draft in run["drafts"]]
    jobs.append(accept(runtime, user, note, "recommendation", run["recommendation"]["id"]))
    dispatcher.sent.clear()
    start = threading.Barrier(len(jobs))

    def at_once(job: str) -> str:
        start.wait()
        return apply_job(runtime, job)

    with ThreadPoolExecutor(len(jobs)) as pool:
        first = list(pool.map(at_once, jobs))
    woken = run_woken_jobs(runtime, dispatcher)

    outcomes = Counter(first + woken)
    print(
        f"\n[one run, {len(jobs)} jobs at once] first pass {Counter(first)}, woken {Counter(woken)}"
    )
    assert outcomes["applied"] == len(jobs), outcomes
    assert len(writes(simulator, "create")) == 1
    assert len(writes(simulator, "update")) == len(jobs) - 1
    assert all(
        runtime.store.get_job(owner_of(note), uuid.UUID(j)).status == "applied" for j in jobs
    )


def test_a_job_retried_after_a_crash_finds_the_task_it_created(
    runtime, dispatcher, simulator, user
):
    note, run = processed(runtime, dispatcher, "note")
    job = accept(runtime, user, note, "draft", run["drafts"][0]["id"])
    runtime.hubspot.create_task(  # created, then the worker died before recording it
        {"hs_timestamp": "2026-12-01T17:00:00Z", JOB_ID_PROPERTY: job}, {}
    )

    assert apply_job(runtime, job) == "applied"

    assert len(writes(simulator, "create")) == 1


def test_an_activity_changed_since_processing_is_a_conflict(runtime, dispatcher, simulator, user):
    task, run = processed(runtime, dispatcher, "task")
    requests.patch(
        f"{simulator.url}/_admin/objects/tasks/{task.id}",
        json={"properties": {"hs_task_priority": "LOW"}},
        timeout=10,
    )
    job = accept(runtime, user, task, "draft", run["drafts"][0]["id"])

    assert apply_job(runtime, job) == "conflict"

    assert runtime.store.get_job(owner_of(task), uuid.UUID(job)).reason == CHANGED
    assert writes(simulator, "update") == []


def test_an_activity_reassigned_before_the_write_is_a_conflict_and_moves(
    runtime, dispatcher, simulator, user
):
    task, run = processed(runtime, dispatcher, "task")
    job = accept(runtime, user, task, "draft", run["drafts"][0]["id"])
    new_owner = "71000003" if task.owner_id != "71000003" else "71000002"
    requests.patch(
        f"{simulator.url}/_admin/objects/tasks/{task.id}",
        json={"properties": {"hubspot_owner_id": new_owner}},
        timeout=10,
    ).raise_for_status()

    assert apply_job(runtime, job) == "conflict"

    assert runtime.store.get_job(owner_of(task), uuid.UUID(job)).reason == REASSIGNED
    assert writes(simulator, "update") == []
    assert runtime.store.activity_of("run", uuid.UUID(run["id"])).owner_id == new_owner


def test_a_deleted_activity_is_a_conflict(runtime, dispatcher, simulator, user):
    note, run = processed(runtime, dispatcher, "note")
    requests.delete(f"{simulator.url}/_admin/objects/notes/{note.id}", timeout=10)
    job = accept(runtime, user, note, "draft", run["drafts"][0]["id"])

    assert apply_job(runtime, job) == "conflict"
    assert runtime.store.get_job(owner_of(note), uuid.UUID(job)).reason == DELETED


def test_a_hubspot_failure_leaves_the_job_failed_and_retryable(
    runtime, dispatcher, simulator, user
):
    task, run = processed(runtime, dispatcher, "task")
    draft = run["drafts"][0]["id"]
    job = accept(runtime, user, task, "draft", draft)
    Admin(simulator.url).post("/faults", {"rate_limit_storm": True})
    runtime.hubspot.max_attempts = 2

    assert apply_job(runtime, job) == "failed"
    assert "429" in runtime.store.get_job(owner_of(task), uuid.UUID(job)).reason

    Admin(simulator.url).post("/faults", {"rate_limit_storm": False})
    retry = runtime.store.request_apply(owner_of(task), user, "draft", uuid.UUID(draft), {})
    assert retry.outcome == "retried"
    assert apply_job(runtime, job) == "applied"


def test_our_own_write_back_is_not_processed_as_new_activity(runtime, dispatcher, simulator, user):
    task, run = processed(runtime, dispatcher, "task")
    apply_job(runtime, accept(runtime, user, task, "draft", run["drafts"][0]["id"]))

    echoed = fetch_activity(runtime.hubspot, KIND_BY_NAME["task"], task.id)
    dispatch_run(runtime.for_account(PORTAL_ID), echoed)
    [run_id, payload, time_zone, _] = dispatcher.named(PROCESS_ACTIVITY_TASK)[-1]

    assert echoed.version != task.version
    assert process_activity(runtime, run_id, payload, time_zone) == "skipped"


def test_an_apply_job_during_the_cap_waits_queued_and_applies_after_the_reset(
    runtime, dispatcher, simulator, user
):
    task, run = processed(runtime, dispatcher, "task")
    job = accept(runtime, user, task, "draft", run["drafts"][0]["id"])
    runtime.hubspot.daily_cap.reach()

    assert apply_job(runtime, job) == "parked"
    waiting = runtime.store.get_job(owner_of(task), uuid.UUID(job))
    assert waiting.status == "queued"
    assert "daily API limit" in waiting.reason

    simulator.simulator.limiter.reset()  # HubSpot's midnight
    runtime.redis.delete(CAP_KEY)  # and the cap's key expires with it
    assert resume_parked(runtime) == 1
    assert dispatcher.sent[-1][:2] == (APPLY_JOB_TASK, [job])
    assert apply_job(runtime, job) == "applied"


def test_a_task_hubspot_refuses_fails_the_job_with_the_field_in_a_reps_words(
    start_simulator, runtime, dispatcher, user
):
    """The portal's admins made Priority required: the follow-up task cannot be created."""
    start_simulator(portal_required={"tasks": ("hs_task_priority",)})
    runtime.hubspot = runtime.clients.static = build_client(get_settings(), runtime.redis)
    note, run = processed(runtime, dispatcher, "note")
    draft = run["drafts"][0]["id"]
    job = accept(runtime, user, note, "draft", draft)

    assert apply_job(runtime, job) == "failed"

    reason = runtime.store.get_job(owner_of(note), uuid.UUID(job)).reason
    assert reason.startswith("HubSpot did not accept the task: Priority (hs_task_priority): ")
    assert "hs_task_priority is required" in reason  # HubSpot's own message
    assert "accept the suggestion again" in reason
    retry = runtime.store.request_apply(owner_of(note), user, "draft", uuid.UUID(draft), {})
    assert retry.outcome == "retried"  # once the rule is met, the rep accepts again


def test_follow_up_tasks_pass_the_2026_09_write_validation(
    start_simulator, runtime, dispatcher, user, monkeypatch
):
    simulator = start_simulator()
    monkeypatch.setenv("HUBSPOT_API_VERSION", "2026-09")
    get_settings.cache_clear()
    runtime.hubspot = runtime.clients.static = build_client(get_settings(), runtime.redis)
    note, run = processed(runtime, dispatcher, "note")
    job = accept(runtime, user, note, "draft", run["drafts"][0]["id"])

    assert apply_job(runtime, job) == "applied"
    [created] = writes(simulator, "create")
    assert created["properties"]["hs_task_subject"]
