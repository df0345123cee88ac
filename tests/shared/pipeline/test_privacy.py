"""A contact's privacy deletion reaches every text the app derived from that contact's
activities, in the database and in Redis, once, and is recorded without the contact."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from shared.account_keys import AccountCache
from shared.exposition import render
from shared.hubspot.history import HISTORY
from shared.hubspot.models import Contact
from shared.hubspot.records import RECORD
from shared.pipeline.ingest import ingest_events
from shared.review.inbox import CACHE_PREFIX as INBOX
from shared.review.inbox import ActivitySummaries
from shared.store.base import RunResults
from tests.conftest import PORTAL_ID
from tests.prometheus_text import value
from tests.shared.store.conftest import make_activity, make_result_row
from tests.webhook_receiver.test_api import processed as processed
from tests.webhook_signing import privacy_deletion_event

REMOVED = "(removed: privacy deletion)"


def rows(database_url: str, query: str, *args) -> list[tuple]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(query, args).fetchall()


@pytest.fixture
def contact(processed, database_url) -> str:
    """A contact on some, not all, of the processed activities."""
    [(contact_id,)] = rows(
        database_url,
        "select c from public.ai_processing_logs, unnest(contact_ids) c"
        " group by c order by count(*), c limit 1",
    )
    return contact_id


def test_the_contacts_texts_are_removed_and_the_rest_kept(processed, contact, database_url):
    theirs = rows(
        database_url,
        "select id from public.ai_processing_logs where contact_ids @> array[%s]",
        contact,
    )
    others_before = rows(
        database_url,
        "select id, input_notes from public.ai_processing_logs"
        " where not contact_ids @> array[%s] order by id",
        contact,
    )
    ours, other_account = AccountCache(processed.redis, PORTAL_ID), AccountCache(processed.redis, 7)
    for cache in (ours, other_account):
        processed.redis.set(cache.key(RECORD, "contacts", contact), "{}")
        processed.redis.set(cache.key(HISTORY, "companies", 4), "[]")
    activities = rows(
        database_url,
        "select distinct activity_type, activity_id, contact_ids @> array[%s]"
        " from public.ai_processing_logs",
        contact,
    )
    inbox = ActivitySummaries(processed.hubspot, processed.redis, PORTAL_ID)
    inbox.current([make_result_row(kind, activity_id) for kind, activity_id, _ in activities])

    ingest_events(processed, [privacy_deletion_event(int(contact))], task_id="t-1")

    assert theirs and others_before
    runs = rows(
        database_url,
        "select input_notes, dismissed_at from public.ai_processing_logs"
        " where contact_ids @> array[%s]",
        contact,
    )
    assert all(notes is None and dismissed is not None for notes, dismissed in runs)
    drafts = rows(
        database_url,
        "select d.draft_text from public.ai_generated_drafts d"
        " join public.ai_processing_logs l on l.id = d.run_id where l.contact_ids @> array[%s]",
        contact,
    )
    assert drafts and {text for (text,) in drafts} == {REMOVED}
    rationales = rows(
        database_url,
        "select r.rationale from public.touch_date_recommendations r"
        " join public.ai_processing_logs l on l.id = r.run_id where l.contact_ids @> array[%s]",
        contact,
    )
    assert {rationale for (rationale,) in rationales} <= {None}
    others_after = rows(
        database_url,
        "select id, input_notes from public.ai_processing_logs"
        " where not contact_ids @> array[%s] order by id",
        contact,
    )
    assert others_after == others_before
    assert processed.redis.get(ours.key(RECORD, "contacts", contact)) is None
    assert processed.redis.get(ours.key(HISTORY, "companies", 4)) is None
    # Another account's contact with the same id is another person.
    assert processed.redis.get(other_account.key(RECORD, "contacts", contact)) == b"{}"
    assert processed.redis.get(other_account.key(HISTORY, "companies", 4)) == b"[]"
    summarised = {key.rsplit(b":", 1)[1].decode() for key in processed.redis.keys(f"{INBOX}*")}
    assert summarised == {activity_id for _, activity_id, theirs in activities if not theirs}


def test_the_deletion_is_recorded_once_without_the_contact(processed, contact, database_url):
    event = privacy_deletion_event(int(contact))

    ingest_events(processed, [event], task_id="t-1")
    ingest_events(processed, [{**event, "attemptNumber": 1}], task_id="t-2")  # HubSpot retries

    [record] = rows(
        database_url,
        "select hubspot_portal_id, hubspot_event_id, runs_scrubbed, drafts_scrubbed"
        " from public.privacy_deletions",
    )
    assert record[:2] == (62515, event["eventId"]) and record[2] >= 1 and record[3] >= 1
    columns = rows(
        database_url,
        "select column_name from information_schema.columns where table_name = 'privacy_deletions'",
    )
    assert not any("contact" in name for (name,) in columns)
    assert value(render(processed.redis), "privacy_deletions_total") == 1


def completed_run(store, activity_id: str, contact: str, portal_id: int) -> uuid.UUID:
    """A completed run with a draft and an opportunity of an activity with that contact."""
    activity = make_activity(activity_id, contacts=[Contact(id=contact, name="A contact")])
    run_id = store.queue_run(activity, portal_id).run_id
    store.claim_run(run_id)
    draft = {"tone": "friendly", "text": "Hi, as discussed.", "confidence": 0.8}
    opportunity = {"probability": 0.6, "status": "open"}
    store.complete_run(run_id, RunResults([draft], None, opportunity, {}))
    return run_id


def test_another_accounts_contact_with_the_same_id_keeps_everything(
    processed, contact, database_url
):
    """Contact ids are an account's own: the other account's contact is someone else."""
    theirs = completed_run(processed.store, "elsewhere-1", contact, PORTAL_ID + 1)
    completed_run(processed.store, "ours-1", contact, PORTAL_ID)
    kept = (
        "select l.input_notes, d.draft_text from public.ai_processing_logs l"
        " join public.ai_generated_drafts d on d.run_id = l.id where l.id = %s"
    )
    before = rows(database_url, kept, theirs)

    ingest_events(processed, [privacy_deletion_event(int(contact))], task_id="t-1")

    assert before[0][0] and rows(database_url, kept, theirs) == before
    opportunities = rows(
        database_url,
        "select hubspot_activity_id from public.opportunities"
        " where hubspot_activity_id in ('elsewhere-1', 'ours-1')",
    )
    assert opportunities == [("elsewhere-1",)]  # ours went with the deletion
