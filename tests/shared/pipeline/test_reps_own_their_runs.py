"""Runs the pipeline stores belong to the rep of the activity's owner, so each rep reading
through Supabase directly (their JWT, row level security) sees exactly their own results."""

import json
import uuid

import psycopg
import pytest

from devstack.mint import local_user
from shared.accounts.clients import AccountClients
from shared.auth.owners import OwnerResolver
from shared.auth.tokens import Rep
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.pipeline.fetching import dispatch_run
from shared.pipeline.processing import process_activity
from shared.queues import PROCESS_ACTIVITY_TASK
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID
from tests.shared.pipeline.conftest import demo_ids

MARIA, JAMES = "maria.chen@brightlane.example", "james.okafor@brightlane.example"
MARIA_OWNER = "71000001"
TABLES = ("ai_processing_logs", "ai_generated_drafts", "touch_date_recommendations")


def process_demo_notes(runtime, dispatcher) -> None:
    for activity_id in demo_ids(runtime, "note"):
        dispatch_run(
            runtime.for_account(PORTAL_ID),
            fetch_activity(runtime.hubspot, KIND_BY_NAME["note"], activity_id),
        )
    for args in dispatcher.named(PROCESS_ACTIVITY_TASK):
        process_activity(runtime, *args)


def seen_by(database_url: str, user: uuid.UUID) -> dict[str, set[str]]:
    """Per table, the owners of the runs a signed-in rep reads through Supabase."""
    with psycopg.connect(database_url) as conn:
        claims = json.dumps({"sub": str(user), "role": "authenticated"})
        conn.execute("select set_config('request.jwt.claims', %s, true)", (claims,))
        conn.execute("set local role authenticated")
        seen = {}
        for table in TABLES:
            log = "id" if table == "ai_processing_logs" else "run_id"
            seen[table] = {
                owner
                for (owner,) in conn.execute(
                    f"select l.hubspot_owner_id from {table} t "  # noqa: S608 - fixed names
                    f"join ai_processing_logs l on l.id = t.{log}"
                )
            }
        return seen


def stored_owners(database_url: str) -> set[str]:
    with psycopg.connect(database_url) as conn:
        return {o for (o,) in conn.execute("select hubspot_owner_id from ai_processing_logs")}


@pytest.mark.usefixtures("simulator")
def test_each_rep_reads_their_own_results_and_nobody_elses(runtime, dispatcher, database_url):
    maria, james = local_user(database_url, MARIA), local_user(database_url, JAMES)

    process_demo_notes(runtime, dispatcher)

    assert len(stored_owners(database_url)) >= 2  # the demo notes have several owners
    assert seen_by(database_url, maria) == {table: {MARIA_OWNER} for table in TABLES}
    assert seen_by(database_url, james) == {table: {"71000002"} for table in TABLES}
    assert seen_by(database_url, uuid.uuid4()) == {table: set() for table in TABLES}


def test_a_rep_who_signs_up_later_gets_the_runs_stored_before(runtime, dispatcher, database_url):
    process_demo_notes(runtime, dispatcher)
    maria = local_user(database_url, MARIA)
    assert seen_by(database_url, maria)["ai_processing_logs"] == set()

    clients = AccountClients(
        runtime.settings, runtime.redis, runtime.hubspot, runtime.account, tokens=None
    )
    resolver = OwnerResolver(runtime.store, clients, runtime.redis)
    assert resolver.owner_for(Rep(maria, MARIA)) == RepOwner(PORTAL_ID, MARIA_OWNER)

    assert seen_by(database_url, maria) == {table: {MARIA_OWNER} for table in TABLES}


def test_a_hand_made_mapping_gives_a_rep_the_owners_stored_runs(runtime, dispatcher, database_url):
    process_demo_notes(runtime, dispatcher)
    shared_inbox = local_user(database_url, "inbox@brightlane.example")

    with psycopg.connect(database_url) as conn:
        conn.execute(
            "insert into rep_owners (user_id, hubspot_owner_id, hubspot_portal_id) "
            "values (%s, %s, %s)",
            (shared_inbox, MARIA_OWNER, PORTAL_ID),
        )

    assert seen_by(database_url, shared_inbox) == {table: {MARIA_OWNER} for table in TABLES}


def test_a_mapping_in_another_account_gives_none_of_this_ones_runs(
    runtime, dispatcher, database_url
):
    process_demo_notes(runtime, dispatcher)
    elsewhere = local_user(database_url, "elsewhere@brightlane.example")

    with psycopg.connect(database_url) as conn:
        conn.execute(
            "insert into rep_owners (user_id, hubspot_owner_id, hubspot_portal_id) "
            "values (%s, %s, %s)",
            (elsewhere, MARIA_OWNER, PORTAL_ID + 1),  # owner 71000001 of another account
        )

    assert seen_by(database_url, elsewhere) == {table: set() for table in TABLES}
