"""Behaviour every RunStore must have; run against each adapter."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg

from tests.conftest import PORTAL_ID
from tests.shared.store.conftest import make_activity, make_results


def rows(database_url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchall()


class RunStoreContract:
    """Subclasses provide the ``store`` fixture and ``database_url`` it writes to."""

    def test_a_new_version_is_queued_once(self, store, database_url, activity):
        first = store.queue_run(activity, PORTAL_ID)
        again = store.queue_run(activity, PORTAL_ID)

        assert first.status == "queued" and first.needs_processing
        assert again.run_id == first.run_id and again.needs_processing
        assert len(rows(database_url, "select 1 from ai_processing_logs")) == 1

    def test_an_edited_activity_is_a_new_run(self, store, activity):
        first = store.queue_run(activity, PORTAL_ID)
        edited = store.queue_run(make_activity(version_minute=5), PORTAL_ID)

        assert edited.run_id != first.run_id

    def test_a_run_is_claimed_once(self, store, activity):
        run = store.queue_run(activity, PORTAL_ID)

        assert store.claim_run(run.run_id) is True
        assert store.claim_run(run.run_id) is False
        assert store.queue_run(activity, PORTAL_ID).needs_processing is False

    def test_a_run_whose_worker_died_can_be_claimed_after_its_lease(self, store, activity):
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)

        assert store.claim_run(run.run_id, lease_seconds=0) is True

    def test_completion_writes_everything_once(self, store, database_url, activity):
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)

        assert store.complete_run(run.run_id, make_results()) is True
        assert store.complete_run(run.run_id, make_results()) is False

        [(status, scores)] = rows(
            database_url, "select status, confidence_scores from ai_processing_logs"
        )
        assert status == "completed" and scores["model"] == "local/heuristic"
        drafts = rows(database_url, "select tone, activity_id, run_id from ai_generated_drafts")
        assert sorted(d[0] for d in drafts) == ["formal", "friendly"]
        assert {(d[1], d[2]) for d in drafts} == {("501", run.run_id)}
        [(rationale,)] = rows(database_url, "select rationale from touch_date_recommendations")
        assert rationale == "before Friday's budget review"
        assert rows(database_url, "select status from opportunities") == [("open",)]

    def test_bad_results_write_nothing(self, store, database_url, activity):
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)

        try:
            store.complete_run(run.run_id, make_results(confidence=1.7))
        except Exception as exc:  # each adapter raises its own client's error
            assert "check" in str(exc).lower() or "constraint" in str(exc).lower()
        else:
            raise AssertionError("an out-of-range confidence was stored")

        assert rows(database_url, "select status from ai_processing_logs") == [("processing",)]
        assert rows(database_url, "select 1 from ai_generated_drafts") == []
        assert rows(database_url, "select 1 from touch_date_recommendations") == []

    def test_a_completion_without_a_claim_is_refused(self, store, database_url, activity):
        run = store.queue_run(activity, PORTAL_ID)

        assert store.complete_run(run.run_id, make_results()) is False
        assert rows(database_url, "select 1 from ai_generated_drafts") == []

    def test_skipped_and_failed_runs_record_why(self, store, database_url):
        skipped = store.queue_gone("777", "note", "deleted:1795000000000", PORTAL_ID)
        failed = store.queue_run(make_activity("778"), PORTAL_ID)
        store.claim_run(failed.run_id)

        assert store.finish_run(skipped.run_id, "skipped", "Deleted", "deleted in HubSpot")
        assert store.finish_run(failed.run_id, "failed", "SuggestionError", "bad output")

        found = dict(
            (r[0], r[1:])
            for r in rows(
                database_url,
                "select activity_id, status, error_class, error_message from ai_processing_logs",
            )
        )
        assert found["777"] == ("skipped", "Deleted", "deleted in HubSpot")
        assert found["778"] == ("failed", "SuggestionError", "bad output")

    def test_a_failed_run_is_replayable(self, store):
        activity = make_activity("779")
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)
        store.finish_run(run.run_id, "failed", "Timeout", "llm timed out")

        assert store.queue_run(activity, PORTAL_ID).needs_processing is False
        replay = store.queue_run(activity, PORTAL_ID, retry_failed=True)

        assert replay.run_id == run.run_id and replay.needs_processing
        assert store.claim_run(run.run_id) is True

    def test_a_replay_takes_a_processing_run_only_after_its_claim_lease(self, store):
        activity = make_activity("781")
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)  # processing since just now

        assert (
            store.queue_run(activity, PORTAL_ID, True, lease_seconds=300).needs_processing is False
        )
        assert store.queue_run(activity, PORTAL_ID, True, lease_seconds=0).needs_processing is True

    def test_concurrent_queueing_of_one_version_makes_one_run(self, store, database_url):
        activity = make_activity("880")
        with ThreadPoolExecutor(8) as pool:
            runs = list(pool.map(lambda _: store.queue_run(activity, PORTAL_ID), range(16)))

        assert len({run.run_id for run in runs}) == 1
        assert rows(database_url, "select count(*) from ai_processing_logs") == [(1,)]

    def test_unknown_runs_are_not_claimed(self, store):
        assert store.claim_run(uuid.uuid4()) is False

    def test_runs_are_listed_by_status_and_age(self, store):
        from datetime import UTC, datetime, timedelta

        failed = store.queue_run(make_activity("901"), PORTAL_ID)
        store.claim_run(failed.run_id)
        store.finish_run(failed.run_id, "failed", "Timeout", "slow")
        store.queue_run(make_activity("902", type="email"), PORTAL_ID)

        hour_ago = datetime.now(UTC) - timedelta(hours=1)
        assert store.runs_with_status("failed", hour_ago) == [(PORTAL_ID, "901", "call")]
        assert store.runs_with_status("queued", hour_ago) == [(PORTAL_ID, "902", "email")]
        assert store.runs_with_status("failed", datetime.now(UTC) + timedelta(hours=1)) == []

    def test_versions_needing_work_are_never_queued_or_stale(self, store):
        store.queue_run(make_activity("911"), PORTAL_ID)
        store.queue_gone("912", "note", "deleted", PORTAL_ID)
        version = make_activity("911").version
        asked = [("911", version), ("911", "a-later-version"), ("912", "any"), ("913", "v")]

        missing = store.versions_needing_work(PORTAL_ID, asked)
        stale = store.versions_needing_work(PORTAL_ID, asked, stale_seconds=0)
        another_account = store.versions_needing_work(PORTAL_ID + 1, asked)

        # 912 was recorded deleted, but a version of it that no run has seen is owed work.
        assert sorted(missing) == [("911", "a-later-version"), ("912", "any"), ("913", "v")]
        assert ("911", version) in stale  # still queued after 0 s: its message was lost
        # Another account's activity 911 is another activity: this account's run is not its.
        assert sorted(another_account) == sorted(asked)
        assert store.versions_needing_work(PORTAL_ID, []) == []

    def test_one_version_of_two_accounts_activities_with_one_id_is_two_runs(self, store):
        ours = store.queue_run(make_activity("921"), PORTAL_ID)
        theirs = store.queue_run(make_activity("921"), PORTAL_ID + 1)
        again = store.queue_run(make_activity("921"), PORTAL_ID + 1)

        assert ours.run_id != theirs.run_id
        assert again.run_id == theirs.run_id
