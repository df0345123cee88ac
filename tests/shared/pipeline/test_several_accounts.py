"""One service, several OAuth installs: interleaved webhook bursts of two accounts, run by 32
worker threads against the simulator (which counts every request by account and token) and
the real database and Redis. Each account's activities are read with its own token only,
each run belongs to its account and is listed to that account's owner only, a token
expiring mid-burst is refreshed once per expiry, and an account uninstalled mid-burst gets
no further call."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import psycopg
import pytest
import requests

from shared.accounts.cached import drop_account_keys
from shared.accounts.cipher import TokenCipher
from shared.accounts.purge import purge_due_accounts
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.catch_up import read_journals
from shared.pipeline.fetching import fetch_pending
from shared.pipeline.ingest import ingest_events
from shared.pipeline.pending import PendingActivities
from shared.pipeline.processing import process_activity
from shared.pipeline.runtime import Runtime, build_runtime
from shared.queues import FETCH_PENDING_TASK, INGEST_EVENTS_TASK, PROCESS_ACTIVITY_TASK
from shared.settings import get_settings
from shared.store.review import RepOwner
from tests.shared.accounts.test_tokens import CLIENT_ID, PORTAL, installed
from tests.webhook_signing import activity_event

OTHER = 7_000_002
MARIAS_OWNER = "71000001"
THREADS = 32
BURST_SECONDS = 3.0
SINCE = datetime.now(UTC) - timedelta(days=365)


class QueueWorkers:
    """Stands in for Celery: dispatched tasks go on one in-process queue, and ``drain`` runs
    them by name on ``THREADS`` threads, as the workers would, until none is left. A task
    sent with a countdown (a fetch put off after a failure) is kept aside, not run."""

    def __init__(self) -> None:
        self.queue: deque[tuple[str, list[Any]]] = deque()
        self.delayed: list[tuple[str, list[Any]]] = []
        self.failures: list[BaseException] = []
        self.done: list[tuple[str, list[Any], Any]] = []
        self._busy = 0
        self._feeding = False
        self._ready = threading.Condition()

    def __call__(
        self, task_name: str, args: list[Any], queue: str, countdown: float | None = None
    ) -> None:
        with self._ready:
            if countdown:
                self.delayed.append((task_name, args))
            else:
                self.queue.append((task_name, args))
            self._ready.notify_all()

    def drain(
        self, rt: Runtime, threads: int = THREADS, feed: Callable[[], None] | None = None
    ) -> None:
        """Run until no task is left; with ``feed``, also while it sends more."""
        workers = [threading.Thread(target=self._work, args=(rt,)) for _ in range(threads)]
        self._feeding = feed is not None
        for worker in workers:
            worker.start()
        if feed is not None:
            try:
                feed()
            finally:
                with self._ready:
                    self._feeding = False
                    self._ready.notify_all()
        for worker in workers:
            worker.join(timeout=120)
        assert not any(worker.is_alive() for worker in workers)

    def outcomes(self, task_name: str) -> list[Any]:
        return [result for name, _, result in self.done if name == task_name]

    def _work(self, rt: Runtime) -> None:
        while True:
            with self._ready:
                while not self.queue and (self._busy or self._feeding):
                    self._ready.wait(0.05)
                if not self.queue:
                    return
                name, args = self.queue.popleft()
                self._busy += 1
            try:
                result = _run(rt, name, args)
                with self._ready:
                    self.done.append((name, args, result))
            except BaseException as exc:
                self.failures.append(exc)
            finally:
                with self._ready:
                    self._busy -= 1
                    self._ready.notify_all()


def _run(rt: Runtime, name: str, args: list[Any]) -> Any:
    task_id = str(uuid.uuid4())
    if name == INGEST_EVENTS_TASK:
        return ingest_events(rt, args[0], task_id=task_id)
    if name == FETCH_PENDING_TASK:
        return fetch_pending(rt, args[0], task_id, args[1])
    if name == PROCESS_ACTIVITY_TASK:
        return process_activity(rt, *args)
    raise AssertionError(f"no such task in this test: {name}")


@pytest.fixture
def workers() -> QueueWorkers:
    return QueueWorkers()


@pytest.fixture
def oauth_runtime(monkeypatch, database_url, redis_url, start_simulator, workers):
    """The workers' runtime with OAuth installs; the simulator has a second account loaded
    with the demo data (the same owner ids, other objects) and the app installed in both."""
    simulator = start_simulator(access_token_lifetime_seconds=301.0)  # see the refresh test
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", TokenCipher.new_key())
    monkeypatch.setenv("HUBSPOT_UNINSTALL_GRACE_DAYS", "0")
    get_settings.cache_clear()
    admin = f"{simulator.url}/_admin"
    requests.post(f"{admin}/accounts", json={"portalId": OTHER}, timeout=10).raise_for_status()
    loaded = requests.post(f"{admin}/fixtures?portalId={OTHER}", json={"demo": True}, timeout=30)
    loaded.raise_for_status()
    rt = build_runtime(get_settings(), workers)
    assert rt.clients.tokens is not None
    for portal in (PORTAL, OTHER):
        installed(simulator, rt.clients.tokens, portal)
    rt.simulator = simulator  # type: ignore[attr-defined]
    yield rt
    rt.store.close()


def note_ids(rt: Runtime, portal: int) -> list[str]:
    client = rt.for_account(portal).hubspot
    return [i for i, _ in client.modified_since(KIND_BY_NAME["note"], SINCE)]


def interleaved_deliveries(
    ids: dict[int, list[str]], per_delivery: int = 4, first_event_id: int = 0
) -> list[list[dict]]:
    """Both accounts' note events, alternating, in deliveries of a few events each."""
    events, event_id = [], first_event_id
    for pair in zip(*ids.values(), strict=False):
        for portal, note in zip(ids, pair, strict=True):
            event_id += 1
            events.append(activity_event(int(note), event_id=event_id, portalId=portal))
    return [events[i : i + per_delivery] for i in range(0, len(events), per_delivery)]


def simulator_stats(rt: Runtime) -> dict[str, Any]:
    url = f"{rt.simulator.url}/_admin/stats"  # type: ignore[attr-defined]
    return requests.get(url, timeout=10).json()


def runs_by_account(database_url: str) -> dict[str, set[int]]:
    """Activity id -> the accounts its runs were stored under."""
    found: dict[str, set[int]] = {}
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select activity_id, hubspot_portal_id, status from ai_processing_logs"
        ).fetchall()
    for activity_id, portal, _ in rows:
        found.setdefault(activity_id, set()).add(portal)
    return found


def statuses(database_url: str, portal: int) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select status from ai_processing_logs where hubspot_portal_id = %s", (portal,)
        ).fetchall()
    return [status for (status,) in rows]


def test_interleaved_bursts_are_each_read_with_their_own_token(
    oauth_runtime, workers, database_url
):
    rt = oauth_runtime
    ids = {PORTAL: note_ids(rt, PORTAL), OTHER: note_ids(rt, OTHER)}
    before = simulator_stats(rt)["accounts"]
    for delivery in interleaved_deliveries(ids):
        workers(INGEST_EVENTS_TASK, [delivery], "activities")

    workers.drain(rt)

    assert workers.failures == []
    assert set(ids[PORTAL]).isdisjoint(ids[OTHER])
    stored = runs_by_account(database_url)
    for portal, notes in ids.items():
        assert {note: stored.get(note) for note in notes} == {note: {portal} for note in notes}
        assert statuses(database_url, portal) == ["completed"] * len(notes)
    # Maria is owner 71000001 in both accounts' demo data: two people, one per account.
    for portal, notes in ids.items():
        listed = rt.store.list_runs(RepOwner(portal, MARIAS_OWNER), None, "note", None, 100)
        assert listed and {row.activity_id for row in listed} <= set(notes)
    after = simulator_stats(rt)
    assert after["cross_account_requests"] == 0
    for portal in (PORTAL, OTHER):
        account = after["accounts"][str(portal)]
        assert account["total"] > before[str(portal)]["total"]  # each read its own
        assert account["cross_account"] == 0


def test_tokens_expiring_mid_burst_are_refreshed_once_per_expiry(
    oauth_runtime, workers, database_url, monkeypatch
):
    """Tokens live 301 s and are refreshed 300 s ahead: each is fresh for a second, and the
    burst (every note delivered again and again for 3 s, each delivery read from HubSpot)
    outlives several. Two refreshes of one account closer than that would be two of one
    expiry."""
    rt = oauth_runtime
    refreshes: dict[str, list[float]] = {}  # refresh token (one per account) -> when used
    refresh = rt.clients.tokens.oauth.refresh

    def counted_refresh(refresh_token: str):
        refreshes.setdefault(refresh_token, []).append(time.monotonic())
        return refresh(refresh_token)

    monkeypatch.setattr(rt.clients.tokens.oauth, "refresh", counted_refresh)
    ids = {PORTAL: note_ids(rt, PORTAL), OTHER: note_ids(rt, OTHER)}
    for portal in (PORTAL, OTHER):  # installed again: the burst starts with new tokens
        installed(rt.simulator, rt.clients.tokens, portal)  # type: ignore[attr-defined]
    started = time.monotonic()

    def deliveries_for_three_seconds() -> None:
        wave = 0
        while time.monotonic() - started < BURST_SECONDS:
            # New event ids: a new delivery of each note, read from HubSpot again.
            for delivery in interleaved_deliveries(ids, first_event_id=wave * 1000):
                workers(INGEST_EVENTS_TASK, [delivery], "activities")
            wave += 1
            time.sleep(0.2)

    workers.drain(rt, feed=deliveries_for_three_seconds)
    ended = time.monotonic()
    assert workers.failures == []
    assert workers.delayed == []  # no fetch had to be put off
    for portal, notes in ids.items():
        assert statuses(database_url, portal) == ["completed"] * len(notes)
    assert len(refreshes) == 2  # one refresh token per account: both accounts refreshed
    for times in refreshes.values():
        assert len(times) >= 2  # tokens expired again and again during the burst
        assert all(started < at < ended for at in times)
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert all(gap >= 0.8 for gap in gaps), gaps


def test_an_account_uninstalled_mid_burst_gets_no_further_call_and_is_purged(
    oauth_runtime, workers, database_url
):
    rt = oauth_runtime
    ids = {PORTAL: note_ids(rt, PORTAL), OTHER: note_ids(rt, OTHER)}
    deliveries = interleaved_deliveries(ids)
    half = len(deliveries) // 2
    for delivery in deliveries[:half]:
        workers(INGEST_EVENTS_TASK, [delivery], "activities")
    workers.drain(rt)
    admin = f"{rt.simulator.url}/_admin"  # type: ignore[attr-defined]
    requests.post(f"{admin}/accounts/{OTHER}/uninstall", timeout=10).raise_for_status()
    report = read_journals(rt)  # the install's journal says APP_UNINSTALL
    assert report is not None and report.uninstalls == 1
    calls_at_uninstall = simulator_stats(rt)["accounts"][str(OTHER)]["total"]

    for delivery in deliveries[half:]:
        workers(INGEST_EVENTS_TASK, [delivery], "activities")
    workers.drain(rt)

    assert workers.failures == []
    assert simulator_stats(rt)["accounts"][str(OTHER)]["total"] == calls_at_uninstall
    assert statuses(database_url, PORTAL) == ["completed"] * len(ids[PORTAL])
    assert len(statuses(database_url, OTHER)) < len(ids[OTHER])  # the rest never fetched
    assert PendingActivities(rt.redis, OTHER).waiting("notes") == 0  # not even queued

    purged = purge_due_accounts(rt.store, partial(drop_account_keys, rt.redis), rt.metrics)

    assert [account.portal_id for account in purged] == [OTHER]  # a grace of 0 days
    assert statuses(database_url, OTHER) == []
    assert statuses(database_url, PORTAL) == ["completed"] * len(ids[PORTAL])
