"""An uninstalled account's data purged after its grace period, on the real database and
Redis: nothing before the period ends; then every row of that account and its Redis keys,
the other account's untouched; once; logged and counted without what the rows held."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import psycopg
import pytest
from psycopg import sql

from shared.account_keys import AccountCache
from shared.accounts.cached import drop_account_keys
from shared.accounts.journal import offset_key
from shared.accounts.purge import purge_due_accounts
from shared.exposition import render
from shared.feedback.edits import AcceptRecord
from shared.hubspot.records import RECORD
from shared.logging import configure_logging
from shared.metrics import Metrics
from shared.pipeline.pending import PENDING_ACCOUNTS, PendingActivities
from shared.settings import get_settings
from shared.store import PostgresStore
from shared.store.accounts import ROW_KINDS
from shared.store.base import RunResults
from shared.store.review import RepOwner
from tests.prometheus_text import value
from tests.shared.store.conftest import make_activity

GONE, KEPT = 71001, 71002  # the account uninstalled, and one still installed
# Each table of the app's rows, by the kind the purge counts it as.
TABLES = {
    "runs": "ai_processing_logs",
    "drafts": "ai_generated_drafts",
    "recommendations": "touch_date_recommendations",
    "opportunities": "opportunities",
    "jobs": "apply_jobs",
    "rep_owners": "rep_owners",
    "sessions": "sessions",
}
OWNER = "301"


def texts(portal_id: int) -> dict[str, str]:
    """What the account's rows hold, each text its own so a leak names its account."""
    return {
        "notes": f"Dana Ortiz wants pricing for {portal_id} seats",
        "draft": f"Hi Dana, pricing for {portal_id} attached.",
        "other_draft": f"Dear Dana, please find pricing ({portal_id}).",
        "rationale": f"before budget review {portal_id}",
        "reject_note": f"Dana left the company {portal_id}",
        "accepted": f"Hi Dana, pricing for {portal_id} seats attached.",
        "task_subject": f"Send Dana pricing {portal_id}",
    }


def store_rows(store: PostgresStore, database_url: str, portal_id: int) -> None:
    """One account's row in every table, as the pipeline and the reps write them."""
    said = texts(portal_id)
    activity = make_activity(f"a-{portal_id}", subject="", body=said["notes"])
    run_id = store.queue_run(activity, portal_id).run_id
    store.claim_run(run_id)
    store.complete_run(
        run_id,
        RunResults(
            drafts=[
                {"tone": "friendly", "text": said["draft"], "confidence": 0.8},
                {"tone": "formal", "text": said["other_draft"], "confidence": 0.7},
            ],
            recommendation={
                "recommended_due": "2026-03-06T09:00:00+00:00",
                "confidence": 0.75,
                "rationale": said["rationale"],
            },
            opportunity={"probability": 0.6, "status": "open"},
            scores={},
        ),
    )
    with psycopg.connect(database_url) as conn:
        user = conn.execute(
            "insert into auth.users (email) values (%s) returning id",
            (f"rep-{uuid.uuid4()}@example.org",),
        ).fetchone()[0]
        conn.execute(
            "insert into public.rep_owners (user_id, hubspot_owner_id, hubspot_portal_id)"
            " values (%s, %s, %s)",
            (user, OWNER, portal_id),
        )
        conn.execute(
            "insert into public.sessions (user_id, hubspot_portal_id, metadata)"
            ' values (%s, %s, \'{"theme": "dark"}\')',
            (user, portal_id),
        )
        drafts = dict(
            conn.execute(
                "select tone, id from public.ai_generated_drafts where run_id = %s", (run_id,)
            ).fetchall()
        )
    owner = RepOwner(portal_id, OWNER)
    store.reject_draft(owner, drafts["formal"], "other", said["reject_note"])
    accepted = AcceptRecord(said["accepted"], 0.1)
    job = store.request_apply(
        owner, user, "draft", drafts["friendly"], {"text": said["accepted"]}, accepted
    )
    assert job.job_id is not None
    job_id = uuid.UUID(job.job_id)
    store.claim_job(job_id)
    written = {"id": "9001", "subject": said["task_subject"], "created": True}
    assert store.record_job_object(job_id, "9001", "v2", written)


def rows_of(database_url: str, portal_id: int) -> dict[str, list[str]]:
    """Every row of the account in each table, whole, as JSON."""
    query = sql.SQL("select to_jsonb(t)::text from public.{} t where hubspot_portal_id = %s")
    with psycopg.connect(database_url) as conn:
        return {
            kind: sorted(
                row[0] for row in conn.execute(query.format(sql.Identifier(table)), (portal_id,))
            )
            for kind, table in TABLES.items()
        }


def uninstall(store: PostgresStore, portal_id: int, purge_after: datetime) -> None:
    store.install_account(
        portal_id, "access-enc", "refresh-enc", datetime.now(UTC) + timedelta(hours=1), []
    )
    store.disconnect_account(portal_id, "uninstalled", "uninstalled in a test", purge_after)


def grace_ends(database_url: str, portal_id: int) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "update public.hubspot_accounts set purge_after = now() - interval '1 second'"
            " where portal_id = %s",
            (portal_id,),
        )


@pytest.fixture
def two_accounts(store, database_url, redis_client):
    """GONE uninstalled 30 days from its purge, KEPT installed; both with rows and keys."""
    for portal_id in (GONE, KEPT):
        store_rows(store, database_url, portal_id)
        cache = AccountCache(redis_client, portal_id)
        redis_client.set(offset_key(portal_id), "42")
        redis_client.set(cache.key(RECORD, "contacts", 5), texts(portal_id)["notes"])
        PendingActivities(redis_client, portal_id).add("notes", ["5"])
    uninstall(store, GONE, datetime.now(UTC) + timedelta(days=30))
    store.install_account(KEPT, "access-enc", "refresh-enc", datetime.now(UTC), [])


def purge(store, redis_client) -> list:
    return purge_due_accounts(
        store, partial(drop_account_keys, redis_client), Metrics(redis_client)
    )


def test_nothing_is_purged_during_the_grace_period(two_accounts, store, database_url, redis_client):
    before = rows_of(database_url, GONE)

    purged = purge(store, redis_client)

    assert purged == [] and store.purge_account(GONE) is None
    assert all(before.values()) and rows_of(database_url, GONE) == before
    assert redis_client.get(f"hubspot:journal:{GONE}:offset") == b"42"


def test_after_the_grace_period_the_accounts_rows_and_keys_go_and_the_others_stay(
    two_accounts, store, database_url, redis_client
):
    kept_before = rows_of(database_url, KEPT)
    grace_ends(database_url, GONE)

    [purged] = purge(store, redis_client)

    assert purged.portal_id == GONE
    assert purged.rows.counts == {kind: 2 if kind == "drafts" else 1 for kind in ROW_KINDS}
    assert rows_of(database_url, GONE) == {kind: [] for kind in TABLES}
    with psycopg.connect(database_url) as conn:
        every_row = " ".join(
            str(row)
            for table in TABLES.values()
            for row in conn.execute(
                sql.SQL("select * from public.{}").format(sql.Identifier(table))
            )
        )
        [purged_at] = conn.execute(
            "select purged_at from public.hubspot_accounts where portal_id = %s", (GONE,)
        ).fetchone()
    assert [text for text in texts(GONE).values() if text in every_row] == []
    assert [text for text in texts(KEPT).values() if text not in every_row] == []
    assert rows_of(database_url, KEPT) == kept_before
    assert purged_at is not None
    assert redis_client.keys(f"*{GONE}*") == []
    assert len(redis_client.keys(f"*{KEPT}*")) == 3
    assert redis_client.smembers(PENDING_ACCOUNTS) == {str(KEPT).encode()}


def test_a_second_run_does_nothing(two_accounts, store, database_url, redis_client):
    grace_ends(database_url, GONE)
    purge(store, redis_client)
    redis_client.set(f"hubspot:journal:{GONE}:offset", "43")  # not the purge's to drop now

    assert purge(store, redis_client) == []
    assert store.purge_account(GONE) is None
    assert redis_client.get(f"hubspot:journal:{GONE}:offset") == b"43"
    assert value(render(redis_client), "hubspot_accounts_purged_total") == 1


def test_the_purge_is_logged_with_the_account_and_counts_only(
    two_accounts, store, database_url, redis_client
):
    stream = io.StringIO()
    configure_logging(get_settings(), stream=stream)
    grace_ends(database_url, GONE)

    purge(store, redis_client)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [line] = [line for line in lines if line["event"] == "hubspot_account_purged"]
    assert line["portal_id"] == GONE
    assert {kind: line[kind] for kind in ROW_KINDS} == {
        kind: 2 if kind == "drafts" else 1 for kind in ROW_KINDS
    }
    assert not any(text in stream.getvalue() for text in texts(GONE).values())


def test_an_account_installed_again_in_its_grace_period_is_not_purged(
    two_accounts, store, database_url, redis_client
):
    before = rows_of(database_url, GONE)
    grace_ends(database_url, GONE)
    store.install_account(GONE, "access-enc", "refresh-enc", datetime.now(UTC), [])

    assert purge(store, redis_client) == []
    assert rows_of(database_url, GONE) == before


def test_an_account_uninstalled_again_after_a_purge_is_purged_again(
    two_accounts, store, database_url, redis_client
):
    grace_ends(database_url, GONE)
    purge(store, redis_client)
    store_rows(store, database_url, GONE)  # installed again, and used
    uninstall(store, GONE, datetime.now(UTC) - timedelta(seconds=1))

    [again] = purge(store, redis_client)

    assert again.rows.total == 8
    assert rows_of(database_url, GONE) == {kind: [] for kind in TABLES}
