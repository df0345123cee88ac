"""OAuth installs catch up from their webhooks journals, against the HubSpot simulator and the
real database and Redis: the journal's CRM events reach the ingest task as a delivery's
would, each journal's offset moves only once its events were handed over, and reads never
overlap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.accounts.cipher import TokenCipher
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.catch_up import (
    RUNNING_KEY,
    hand_to_intake,
    read_journals,
    requeue_stale_runs,
)
from shared.pipeline.fetching import fetch_pending
from shared.pipeline.ingest import ingest_events
from shared.pipeline.pending import PendingActivities
from shared.pipeline.runtime import Runtime, build_runtime
from shared.queues import (
    ACTIVITIES_QUEUE,
    FETCH_PENDING_TASK,
    INGEST_EVENTS_TASK,
    PROCESS_ACTIVITY_TASK,
)
from shared.settings import get_settings
from shared.webhooks.events import MAX_EVENTS_PER_REQUEST, WebhookEvent
from tests.conftest import RecordingDispatcher
from tests.shared.accounts.test_journal import add_task, journal_reader
from tests.shared.accounts.test_tokens import CLIENT_ID, PORTAL, installed, keeper
from tests.webhook_signing import activity_event

NOTE = KIND_BY_NAME["note"]
SINCE = datetime.now(UTC) - timedelta(days=365)


@pytest.fixture
def token_key() -> str:
    return TokenCipher.new_key()


@pytest.fixture
def oauth_runtime(monkeypatch, token_key, database_url, redis_url, simulator, dispatcher):
    """The workers' runtime with OAuth installs, and the simulator's account installed."""
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", token_key)
    get_settings.cache_clear()
    rt = build_runtime(get_settings(), dispatcher)
    installed(simulator, keeper(simulator, rt.store, rt.redis, keys=[token_key]))
    yield rt
    rt.store.close()


def stored_offset(simulator, rt: Runtime, token_key: str) -> str | None:
    tokens = keeper(simulator, rt.store, rt.redis, keys=[token_key])
    return journal_reader(simulator, tokens).stored_offset(PORTAL)


def handed_over(dispatcher: RecordingDispatcher) -> list[WebhookEvent]:
    return [
        WebhookEvent.model_validate(event)
        for [events] in dispatcher.named(INGEST_EVENTS_TASK)
        for event in events
    ]


def test_the_journals_crm_events_reach_the_ingest_task_which_fetches_them(
    oauth_runtime, simulator, dispatcher, token_key
):
    task = add_task(simulator)

    report = read_journals(oauth_runtime)

    assert report is not None and report.crm_events == 1
    [message] = dispatcher.named(INGEST_EVENTS_TASK)
    assert [queue for name, _, queue, _ in dispatcher.sent] == [ACTIVITIES_QUEUE]
    [event] = handed_over(dispatcher)
    assert (event.portalId, event.objectId, event.subscriptionType) == (
        PORTAL,
        task,
        "object.creation",
    )
    assert stored_offset(simulator, oauth_runtime, token_key) is not None

    ingest_events(oauth_runtime, *message, task_id="journal-1")

    assert dispatcher.named(FETCH_PENDING_TASK) == [["tasks", PORTAL]]


def test_the_offset_moves_only_once_the_events_were_handed_over(
    oauth_runtime, simulator, dispatcher, token_key
):
    task = add_task(simulator)

    def broker_down(*args, **kwargs) -> None:
        raise ConnectionError("the broker is down")

    oauth_runtime.dispatch = broker_down
    with pytest.raises(ConnectionError):
        read_journals(oauth_runtime)
    offset_after_failure = stored_offset(simulator, oauth_runtime, token_key)
    oauth_runtime.dispatch = dispatcher
    read_journals(oauth_runtime)

    assert offset_after_failure is None
    assert [event.objectId for event in handed_over(dispatcher)] == [task]
    assert stored_offset(simulator, oauth_runtime, token_key) is not None


def test_a_read_waits_while_another_is_running(oauth_runtime, simulator, dispatcher):
    add_task(simulator)
    oauth_runtime.redis.set(RUNNING_KEY, 1)

    assert read_journals(oauth_runtime) is None
    assert dispatcher.sent == []


def test_events_go_a_deliverys_worth_at_a_time_and_only_those_the_pipeline_acts_on():
    dispatcher = RecordingDispatcher()
    notes = [WebhookEvent.model_validate(activity_event(i, event_id=i)) for i in range(1, 251)]
    contact = WebhookEvent.model_validate(activity_event(7, event_id=999, type_id="0-1"))

    hand_to_intake(dispatcher)([*notes[:120], contact, *notes[120:]])

    messages = [events for [events] in dispatcher.named(INGEST_EVENTS_TASK)]
    assert [len(events) for events in messages] == [MAX_EVENTS_PER_REQUEST] * 2 + [50]
    assert [event.objectId for event in handed_over(dispatcher)] == list(range(1, 251))


def test_a_run_whose_processing_message_was_lost_goes_back_through_its_accounts_fetch(
    oauth_runtime, dispatcher, simulator
):
    """No sweep finds it for an OAuth install: the journal brings only new events."""
    rt = oauth_runtime
    [note, *_] = [i for i, _ in rt.for_account(PORTAL).hubspot.modified_since(NOTE, SINCE)]
    fetch_activity_ids([note], rt)
    [lost] = dispatcher.named(PROCESS_ACTIVITY_TASK)
    dispatcher.sent.clear()  # the processing message never reaches a worker

    assert requeue_stale_runs(rt, stale_after=timedelta(hours=1)) == 0  # not stale yet
    assert requeue_stale_runs(rt, stale_after=timedelta(0)) == 1
    [[object_type, portal]] = dispatcher.named(FETCH_PENDING_TASK)
    fetch_pending(rt, object_type, "f-2", portal)

    assert dispatcher.named(PROCESS_ACTIVITY_TASK) == [lost]  # the same run, sent again


def fetch_activity_ids(ids: list[str], rt: Runtime) -> None:
    PendingActivities(rt.redis, PORTAL).add("notes", ids)
    fetch_pending(rt, "notes", "f-1", PORTAL)
