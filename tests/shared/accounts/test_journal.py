"""Reading an install's webhooks journal from the HubSpot simulator, with offsets and the
app's token in the real Redis: batches from the stored offset, which moves only once a batch
is confirmed, one client-credentials token for every read, and slow or failing calls that
leave the offset where it was."""

from __future__ import annotations

import pytest
import requests

from shared.accounts.app_token import CACHE_KEY, AppToken
from shared.accounts.journal import JournalBatch, JournalReader, JournalUnavailable
from shared.accounts.journal_entries import JournalEvents
from shared.accounts.tokens import AccountTokens
from tests.shared.accounts.test_tokens import PORTAL, installed, keeper, token_calls

TASK = {"hs_timestamp": "2025-03-03T15:00:00Z", "hs_task_subject": "Call back"}


def journal_reader(
    simulator, tokens: AccountTokens, batch_size: int = 100, timeout: float = 5
) -> JournalReader:
    app = AppToken(tokens.oauth, tokens.cipher, tokens.redis)
    return JournalReader(simulator.url, "2026-03", app, tokens.redis, timeout, batch_size)


def add_task(simulator, portal: int = PORTAL) -> int:
    answer = requests.post(
        f"{simulator.url}/_admin/activities",
        params={"portalId": portal},
        json={"type": "tasks", "properties": TASK},
        timeout=10,
    )
    answer.raise_for_status()
    return int(answer.json()["results"][0]["id"])


def set_faults(simulator, **faults: float) -> None:
    requests.post(f"{simulator.url}/_admin/faults", json=faults, timeout=10).raise_for_status()


def created_ids(batch: JournalBatch) -> list[int | None]:
    return [event.objectId for event in batch.events.crm]


def test_batches_follow_the_stored_offset_which_moves_only_when_confirmed(
    simulator, store, redis_client
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    first_task, second_task = add_task(simulator), add_task(simulator)
    reader = journal_reader(simulator, tokens, batch_size=2)

    first = reader.read(PORTAL)
    unconfirmed = reader.read(PORTAL)
    reader.confirm(first)
    second = reader.read(PORTAL)
    reader.confirm(second)
    nothing_new = reader.read(PORTAL)

    assert [event.action for event in first.events.lifecycle] == ["APP_INSTALL"]
    assert created_ids(first) == [first_task]
    assert first.events.crm[0].subscriptionType == "object.creation"
    assert first.events.crm[0].is_activity_event
    assert (unconfirmed.offset, created_ids(unconfirmed)) == (first.offset, [first_task])
    assert created_ids(second) == [second_task] and second.events.lifecycle == []
    assert nothing_new.offset is None and nothing_new.events == JournalEvents()
    assert reader.stored_offset(PORTAL) == second.offset


def test_an_offset_the_journal_no_longer_keeps_starts_over_from_the_earliest_entry(
    simulator, store, redis_client
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    task = add_task(simulator)
    reader = journal_reader(simulator, tokens)
    reader.confirm(JournalBatch(PORTAL, "6c1a0a9e-0000-4000-8000-000000000000", JournalEvents()))

    batch = reader.read(PORTAL)

    assert [event.action for event in batch.events.lifecycle] == ["APP_INSTALL"]
    assert created_ids(batch) == [task]


def test_the_apps_token_is_fetched_once_kept_encrypted_and_reused(simulator, store, redis_client):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    exchanges = token_calls(simulator)

    reader = journal_reader(simulator, tokens)
    reader.read(PORTAL)
    reader.read(PORTAL)
    journal_reader(simulator, tokens).read(PORTAL)  # another process, the same Redis

    assert token_calls(simulator) - exchanges == 1
    token = AppToken(tokens.oauth, tokens.cipher, redis_client).access_token()
    assert token.encode() not in redis_client.get(CACHE_KEY)


@pytest.mark.parametrize(
    ("faults", "words"),
    [({"latency_ms": 1500}, "did not answer"), ({"error_rate": 1.0}, "answered 5")],
    ids=["timeout", "5xx"],
)
def test_a_slow_or_failing_journal_raises_a_retryable_error_and_the_offset_stays(
    simulator, store, redis_client, faults, words
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    reader = journal_reader(simulator, tokens, timeout=0.5)
    reader.confirm(reader.read(PORTAL))
    stored = reader.stored_offset(PORTAL)
    task = add_task(simulator)
    set_faults(simulator, **faults)

    with pytest.raises(JournalUnavailable, match=words):
        reader.read(PORTAL)

    assert reader.stored_offset(PORTAL) == stored
    set_faults(simulator, latency_ms=0, error_rate=0.0)
    assert created_ids(reader.read(PORTAL)) == [task]
