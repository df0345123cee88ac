"""Every install's journal read once, against the HubSpot simulator and the real database and
Redis: an uninstall marks the account uninstalled with its purge date, even after a refused
refresh could only call it disconnected; an uninstall followed by a new install is passed
over; CRM events reach the handler and nothing is read twice; the hubspot-ai command, which
hands them to the ingest task."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
import requests

from shared.accounts.cipher import TokenCipher
from shared.accounts.journals import Journals
from shared.accounts.lifecycle import Lifecycle
from shared.accounts.states import lost_accounts
from shared.accounts.tokens import AccountTokens
from shared.cli import main
from shared.hubspot.errors import AccountUnavailable
from shared.metrics import COUNTERS
from shared.queues import INGEST_EVENTS_TASK
from shared.settings import get_settings
from shared.webhooks.events import WebhookEvent
from tests.shared.accounts.test_journal import add_task, journal_reader, set_faults
from tests.shared.accounts.test_tokens import CLIENT_ID, PORTAL, installed, keeper

GRACE = timedelta(days=30)


def journals(simulator, tokens: AccountTokens, **reader) -> Journals:
    reader = journal_reader(simulator, tokens, **reader)
    return Journals(tokens.store, reader, Lifecycle(tokens, GRACE), tokens.metrics)


def uninstall(simulator, portal: int = PORTAL) -> None:
    answer = requests.post(f"{simulator.url}/_admin/accounts/{portal}/uninstall", timeout=10)
    answer.raise_for_status()


def status_and_purge(database_url: str) -> tuple[str, datetime | None]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "select status, purge_after from hubspot_accounts where portal_id = %s", (PORTAL,)
        ).fetchone()
    return row[0], row[1]


def test_an_uninstall_in_the_journal_marks_the_account_uninstalled_until_its_purge(
    simulator, store, redis_client, database_url
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    uninstall(simulator)

    report = journals(simulator, tokens).read_all(lambda events: None)

    status, purge_after = status_and_purge(database_url)
    assert status == "uninstalled"
    assert abs(purge_after - (datetime.now(UTC) + GRACE)) < timedelta(minutes=1)
    assert lost_accounts(redis_client) == {PORTAL: "uninstalled"}
    assert (report.accounts, report.installs, report.uninstalls, report.failed) == (1, 1, 1, {})
    with pytest.raises(AccountUnavailable, match="uninstalled"):
        tokens.access_token(PORTAL)
    counters = b"".join(redis_client.hkeys(COUNTERS))
    assert b'"hubspot_journal_entries_total", {"kind": "app_uninstall"}' in counters


def test_a_refresh_refused_after_an_uninstall_disconnects_and_the_journal_corrects_it(
    start_simulator, store, redis_client, database_url
):
    simulator = start_simulator(access_token_lifetime_seconds=3.0)
    tokens = keeper(simulator, store, redis_client, refresh_ahead=timedelta(seconds=5))
    installed(simulator, tokens)
    uninstall(simulator)

    # HubSpot answers a refresh after an uninstall as it answers one with a revoked token.
    with pytest.raises(AccountUnavailable, match="disconnected"):
        tokens.access_token(PORTAL)
    journals(simulator, tokens).read_all(lambda events: None)

    assert status_and_purge(database_url)[0] == "uninstalled"
    assert lost_accounts(redis_client) == {PORTAL: "uninstalled"}


def test_an_uninstall_followed_by_a_new_install_leaves_the_account_connected(
    simulator, store, redis_client, database_url
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    uninstall(simulator)
    access = installed(simulator, tokens)

    report = journals(simulator, tokens).read_all(lambda events: None)

    assert (report.installs, report.uninstalls) == (2, 1)
    assert status_and_purge(database_url) == ("connected", None)
    assert tokens.access_token(PORTAL) == access


def test_crm_events_reach_the_handler_once_and_a_failed_account_is_read_next_time(
    simulator, store, redis_client
):
    tokens = keeper(simulator, store, redis_client)
    installed(simulator, tokens)
    task = add_task(simulator)
    handled: list[WebhookEvent] = []
    reading = journals(simulator, tokens, batch_size=1)

    first = reading.read_all(handled.extend)
    second = reading.read_all(handled.extend)
    later = add_task(simulator)
    set_faults(simulator, error_rate=1.0)
    failed = reading.read_all(handled.extend)
    set_faults(simulator, error_rate=0.0)
    recovered = reading.read_all(handled.extend)

    assert first.crm_events == 1 and second.crm_events == 0
    assert PORTAL in failed.failed and failed.crm_events == 0
    assert recovered.crm_events == 1
    assert [(event.objectId, event.subscriptionType) for event in handled] == [
        (task, "object.creation"),
        (later, "object.creation"),
    ]


def test_the_journal_command_reads_every_install_and_prints_what_it_found(
    simulator, store, redis_client, database_url, monkeypatch, capsys
):
    key = TokenCipher.new_key()
    for name, value in {
        "HUBSPOT_AUTH": "oauth",
        "HUBSPOT_CLIENT_ID": CLIENT_ID,
        "HUBSPOT_TOKEN_KEYS": key,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    installed(simulator, keeper(simulator, store, redis_client, keys=[key]))
    task = add_task(simulator)
    uninstall(simulator)

    assert main(["journal"]) == 0
    assert main(["journal"]) == 0

    lines = capsys.readouterr().out.splitlines()
    first, second = [line for line in lines if line.startswith("journal:")]  # not the logs
    assert first == (
        "journal: 1 accounts read: 1 CRM events, 1 installs, 1 uninstalls, 0 entries not understood"
    )
    assert second.startswith("journal: 0 accounts read: 0 CRM events")
    assert status_and_purge(database_url)[0] == "uninstalled"
    [message] = [json.loads(raw) for raw in redis_client.lrange("activities", 0, -1)]
    [events], _, _ = json.loads(base64.b64decode(message["body"]))
    assert message["headers"]["task"] == INGEST_EVENTS_TASK
    assert [(event["objectId"], event["subscriptionType"]) for event in events] == [
        (task, "object.creation")
    ]


def test_the_journal_command_needs_oauth(capsys):
    assert main(["journal"]) == 2
    assert "HUBSPOT_AUTH=oauth" in capsys.readouterr().out
