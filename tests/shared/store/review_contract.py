"""Review and apply behaviour every store must have; run against each adapter."""

import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from shared.feedback.edits import AcceptRecord
from shared.feedback.voice import RepVoice
from shared.store.base import RunResults
from shared.store.review import SESSION_METADATA_MAX_BYTES, RepOwner, RepRecord, StoredActivity
from shared.store.rows import ClaimedJob, RunBusy, RunRow, TouchDates, json_row
from tests.conftest import PORTAL_ID
from tests.shared.store.conftest import make_activity, make_results

OWNER, OTHER = RepOwner(PORTAL_ID, "301"), RepOwner(PORTAL_ID, "302")
# The same owner id in another HubSpot account: another person.
ELSEWHERE = RepOwner(7_000_001, "301")


def completed_run(
    store, activity_id: str, owner: RepOwner = OWNER, owner_email: str | None = None, **fields
) -> str:
    activity = make_activity(activity_id, owner_id=owner.owner_id, **fields)
    run = store.queue_run(activity, owner.portal_id, owner_email=owner_email)
    store.claim_run(run.run_id)
    store.complete_run(run.run_id, make_results())
    return str(run.run_id)


def user_of(store, run_id: str) -> str | None:
    """The rep a run belongs to, as the store reads it back."""
    activity = store.activity_of("run", uuid.UUID(run_id))
    runs = store.activity_runs(activity.portal_id, activity.activity_id).runs
    return next(run["user_id"] for run in runs if run["id"] == run_id)


def draft_ids(database_url: str, run_id: str) -> list[uuid.UUID]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select id from ai_generated_drafts where run_id = %s order by confidence desc",
            (run_id,),
        )
        return [row[0] for row in rows]


def map_by_hand(database_url: str, user: uuid.UUID, owner: RepOwner) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "insert into rep_owners (user_id, hubspot_owner_id, hubspot_portal_id) "
            "values (%s, %s, %s)",
            (user, owner.owner_id, owner.portal_id),
        )


def recommendation_id(database_url: str, run_id: str) -> uuid.UUID:
    with psycopg.connect(database_url) as conn:
        query = "select id from touch_date_recommendations where run_id = %s"
        return conn.execute(query, (run_id,)).fetchone()[0]


def accounts_of_run(database_url: str, run_id: str) -> set[tuple[str, int | None]]:
    """(table, account) of the run and every row made from it."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "select 'runs', hubspot_portal_id from ai_processing_logs where id = %(run)s "
            "union select 'drafts', hubspot_portal_id from ai_generated_drafts "
            "where run_id = %(run)s "
            "union select 'recommendations', hubspot_portal_id from touch_date_recommendations "
            "where run_id = %(run)s "
            "union select 'jobs', hubspot_portal_id from apply_jobs where run_id = %(run)s "
            "union select 'opportunities', o.hubspot_portal_id from opportunities o "
            "join ai_processing_logs l on l.activity_id = o.hubspot_activity_id "
            "where l.id = %(run)s",
            {"run": run_id},
        )
        return set(rows)


def with_instants(row: dict) -> dict:
    """The JSON row with its times as datetimes: the same instant may be written two ways
    (Postgres writes '09:00:01.5', Python '09:00:01.500000')."""
    return {key: _instant(value) for key, value in row.items()}


def _instant(value):
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return value


class ReviewContract:
    def test_a_runs_results_and_jobs_belong_to_its_account(self, store, database_url, user):
        run_id = completed_run(store, "420")
        store.request_apply(OWNER, user, "draft", draft_ids(database_url, run_id)[0], {})
        recommendation = recommendation_id(database_url, run_id)
        store.request_apply(OWNER, user, "recommendation", recommendation, {})

        assert accounts_of_run(database_url, run_id) == {
            (table, PORTAL_ID)
            for table in ("runs", "drafts", "recommendations", "jobs", "opportunities")
        }

    def test_a_flagged_run_without_follow_up_is_listed_with_its_reason(self, store):
        activity = make_activity("777")
        run = store.queue_run(activity, PORTAL_ID)
        store.claim_run(run.run_id)
        reason = 'The contact asked not to be contacted: "Please remove me from your list."'
        quiet = RunResults(
            drafts=[],
            recommendation=None,
            opportunity=None,
            scores={},
            flag="opt_out",
            flag_reason=reason,
        )

        assert store.complete_run(run.run_id, quiet)

        [listed] = store.list_runs(OWNER, None, None, None, 10)
        assert (listed.status, listed.flag, listed.flag_reason) == ("completed", "opt_out", reason)
        assert listed.best_draft is None and listed.recommended_due is None
        [stored] = store.activity_runs(PORTAL_ID, "777").runs
        assert stored["drafts"] == [] and stored["recommendation"] is None
        assert stored["flag"] == "opt_out"

    def test_results_are_listed_newest_first_for_their_owner_only(self, store):
        for number in range(5):
            completed_run(store, f"10{number}")
        completed_run(store, "999", owner=OTHER)

        first = store.list_runs(OWNER, None, None, None, 3)
        last = first[-1]
        rest = store.list_runs(OWNER, None, None, (last.created_at, last.id), 3)

        ids = [row.activity_id for row in first + rest]
        assert ids == ["104", "103", "102", "101", "100"]
        assert first[0].best_draft == "Hi Dana, pricing attached."
        assert first[0].recommended_due == datetime(2026, 3, 6, 9, tzinfo=UTC)

    def test_results_filter_by_status_and_type(self, store):
        completed_run(store, "201")
        completed_run(store, "202", type="email")

        assert [r.activity_id for r in store.list_runs(OWNER, None, "email", None, 10)] == ["202"]
        assert store.list_runs(OWNER, "failed", None, None, 10) == []

    def test_results_filter_by_dismissed_and_page_within_the_filter(self, store):
        first, gone, last = (completed_run(store, f"21{number}") for number in range(3))
        store.dismiss_run(OWNER, uuid.UUID(gone))

        def listed(dismissed: bool | None, before=None, limit: int = 10) -> list[RunRow]:
            return store.list_runs(OWNER, None, None, before, limit, dismissed=dismissed)

        [newest] = listed(False, limit=1)
        rest = listed(False, before=(newest.created_at, newest.id))

        assert [str(row.id) for row in [newest, *rest]] == [last, first]
        assert [str(row.id) for row in listed(True)] == [gone]
        assert [str(row.id) for row in listed(None)] == [last, gone, first]

    def test_an_activitys_results_hold_its_runs_without_the_input(self, store):
        run_id = completed_run(store, "301")

        stored = store.activity_runs(PORTAL_ID, "301")
        [run] = stored.runs

        assert stored.activity == StoredActivity("301", "call", "301", PORTAL_ID)
        assert len(run["drafts"]) == 2 and run["recommendation"]["confidence"] == 0.75
        assert "input_notes" not in run
        assert store.activity_runs(PORTAL_ID, "399") is None
        assert store.activity_of("run", uuid.UUID(run_id)) == StoredActivity(
            "301", "call", "301", PORTAL_ID
        )

    def test_a_draft_and_a_recommendation_name_their_activity(self, store, database_url):
        run_id = completed_run(store, "302")
        [run] = store.activity_runs(PORTAL_ID, "302").runs

        for kind, target in (
            ("draft", run["drafts"][0]["id"]),
            ("recommendation", run["recommendation"]["id"]),
        ):
            assert store.activity_of(kind, uuid.UUID(target)).activity_id == "302"
        assert store.activity_of("draft", uuid.uuid4()) is None
        assert store.activity_of("run", uuid.UUID(run_id)).owner_id == OWNER.owner_id

    def test_a_run_belongs_to_the_rep_with_its_owners_email(self, store, user):
        run_id = completed_run(store, "303", owner_email="REP@example.com")
        stranger = completed_run(store, "304", owner_email="someone@else.example")

        assert user_of(store, run_id) == str(user)
        assert user_of(store, stranger) is None

    def test_a_new_owner_takes_the_activitys_earlier_runs(self, store, user):
        first = completed_run(store, "305", owner=OTHER)
        store.queue_run(
            make_activity("305", version_minute=9, owner_id=OWNER.owner_id),
            PORTAL_ID,
            owner_email="rep@example.com",
        )

        assert store.activity_of("run", uuid.UUID(first)).owner_id == OWNER.owner_id
        assert user_of(store, first) == str(user)
        assert store.rehome_activity(PORTAL_ID, "305", OTHER.owner_id, None) == 2
        assert user_of(store, first) is None

    def test_a_rep_learned_later_gets_the_runs_no_rep_had(self, store, user):
        run_id = completed_run(store, "306")

        assert store.link_rep(user, OWNER) == 1
        assert user_of(store, run_id) == str(user)
        assert store.link_rep(user, OWNER) == 0

    def test_accepting_a_draft_makes_one_job_that_applies_once(self, store, database_url, user):
        run_id = completed_run(store, "401")
        draft = draft_ids(database_url, run_id)[0]

        first = store.request_apply(OWNER, user, "draft", draft, {"text": "Edited text"})
        double = store.request_apply(OWNER, user, "draft", draft, {"text": "Edited text"})
        job = store.claim_job(uuid.UUID(first.job_id))

        assert (first.outcome, double.outcome, double.job_id) == (
            "created",
            "existing",
            first.job_id,
        )
        assert (job.kind, job.draft_text, job.edited_text, job.run.activity_id) == (
            "draft",
            "Hi Dana, pricing attached.",  # the most confident draft, the one accepted
            "Edited text",
            "401",
        )
        assert store.claim_job(uuid.UUID(first.job_id)) is None
        assert store.record_job_object(uuid.UUID(first.job_id), "9001", "v-ours")
        assert store.finish_job(uuid.UUID(first.job_id), "applied")
        again = store.request_apply(OWNER, user, "draft", draft, {})
        assert again.outcome == "already_applied"
        [run] = store.activity_runs(PORTAL_ID, "401").runs
        accepted = next(d for d in run["drafts"] if d["id"] == str(draft))
        assert accepted["selected"] is True and accepted["edited_text"] == "Edited text"
        assert store.get_job(OWNER, uuid.UUID(first.job_id)).hubspot_object_id == "9001"

    def test_another_reps_result_cannot_be_accepted_or_read(self, store, database_url, user):
        run_id = completed_run(store, "402")
        draft = draft_ids(database_url, run_id)[0]

        assert store.request_apply(OTHER, user, "draft", draft, {}).outcome == "not_found"
        job = store.request_apply(OWNER, user, "draft", draft, {})
        assert store.get_job(OTHER, uuid.UUID(job.job_id)) is None
        assert store.reject_draft(OTHER, draft, "not_needed").outcome == "not_found"
        assert store.dismiss_run(OTHER, uuid.UUID(run_id)) == "not_found"

    def test_a_failed_job_is_retried_by_accepting_again(self, store, database_url, user):
        draft = draft_ids(database_url, completed_run(store, "403"))[0]
        job = store.request_apply(OWNER, user, "draft", draft, {})
        store.claim_job(uuid.UUID(job.job_id))
        store.finish_job(uuid.UUID(job.job_id), "failed", "HubSpot answered 503")

        retry = store.request_apply(OWNER, user, "draft", draft, {})

        assert (retry.outcome, retry.status, retry.job_id) == ("retried", "queued", job.job_id)
        assert store.claim_job(uuid.UUID(job.job_id)) is not None

    def test_a_rejected_draft_cannot_be_accepted(self, store, database_url, user):
        draft = draft_ids(database_url, completed_run(store, "404"))[0]

        rejection = store.reject_draft(OWNER, draft, "other", "Dana left the company")

        assert (rejection.outcome, rejection.tone) == ("rejected", "friendly")
        assert store.request_apply(OWNER, user, "draft", draft, {}).outcome == "not_found"
        [run] = store.activity_runs(PORTAL_ID, "404").runs
        rejected = next(d for d in run["drafts"] if d["id"] == str(draft))
        assert (rejected["reject_reason"], rejected["reject_note"]) == (
            "other",
            "Dana left the company",
        )

    def test_accepting_a_draft_records_the_final_text_and_edit_distance(
        self, store, database_url, user
    ):
        draft = draft_ids(database_url, completed_run(store, "407"))[0]
        record = AcceptRecord.of("Hi Dana, pricing attached.", "Hi Dana, the pricing is attached.")

        store.request_apply(OWNER, user, "draft", draft, {"text": record.final_text}, record)

        [run] = store.activity_runs(PORTAL_ID, "407").runs
        accepted = next(d for d in run["drafts"] if d["id"] == str(draft))
        assert accepted["final_text"] == "Hi Dana, the pricing is attached."
        assert accepted["edit_distance"] == pytest.approx(record.edit_distance)
        assert accepted["accepted_at"] is not None
        assert store.reject_draft(OWNER, draft, "wrong_tone").outcome == "rejected"
        [run] = store.activity_runs(PORTAL_ID, "407").runs
        rejected = next(d for d in run["drafts"] if d["id"] == str(draft))
        assert (rejected["accepted_at"], rejected["final_text"]) == (None, None)

    def test_an_applied_draft_cannot_be_rejected(self, store, database_url, user):
        draft = draft_ids(database_url, completed_run(store, "405"))[0]
        job = uuid.UUID(store.request_apply(OWNER, user, "draft", draft, {}).job_id)
        store.claim_job(job)
        store.finish_job(job, "applied")

        assert store.reject_draft(OWNER, draft, "wrong_facts").outcome == "already_applied"

    def test_applying_a_recommendation_records_the_dates_used(self, store, database_url, user):
        run_id = completed_run(store, "406")
        recommendation = recommendation_id(database_url, run_id)
        payload = {"recommended_due": "2026-03-10T17:00:00+00:00"}
        job = uuid.UUID(
            store.request_apply(OWNER, user, "recommendation", recommendation, payload).job_id
        )
        claimed = store.claim_job(job)
        store.finish_job(job, "applied")

        assert claimed.recommended == TouchDates(
            datetime(2026, 3, 5, 9, tzinfo=UTC), datetime(2026, 3, 6, 9, tzinfo=UTC)
        )
        assert claimed.adjusted == TouchDates(None, datetime(2026, 3, 10, 17, tzinfo=UTC))
        [run] = store.activity_runs(PORTAL_ID, "406").runs
        applied = run["recommendation"]
        assert applied["applied"] is True
        assert applied["applied_due"].startswith("2026-03-10T17:00:00")
        assert applied["applied_start"].startswith("2026-03-05T09:00:00")

    def test_rows_go_out_as_the_json_the_store_answered(self, store, database_url, user):
        run_id = completed_run(store, "412")
        store.dismiss_run(OWNER, uuid.UUID(run_id))
        draft = draft_ids(database_url, run_id)[0]
        job = uuid.UUID(store.request_apply(OWNER, user, "draft", draft, {}).job_id)
        listing = {
            "p_portal_id": PORTAL_ID,
            "p_owner": OWNER.owner_id,
            "p_status": None,
            "p_type": None,
            "p_dismissed": None,
            "p_before_created": None,
            "p_before_id": None,
            "p_limit": 10,
        }

        [listed] = store.list_runs(OWNER, None, None, None, 10)
        [answered] = store.rpc("app_list_runs", listing)
        assert with_instants(json_row(listed)) == with_instants(answered)
        answered_job = store.rpc(
            "app_get_job", {"p_portal_id": PORTAL_ID, "p_owner": OWNER.owner_id, "p_job": job}
        )
        assert with_instants(json_row(store.get_job(OWNER, job))) == with_instants(answered_job)
        answered_session = store.rpc("app_current_session", {"p_user": user})
        session = json_row(store.current_session(user))
        assert with_instants(session) == with_instants(answered_session)

    def test_a_dismissed_result_says_so(self, store):
        run_id = completed_run(store, "407")

        assert store.dismiss_run(OWNER, uuid.UUID(run_id)) == "dismissed"
        assert store.list_runs(OWNER, None, None, None, 10)[0].dismissed_at

    def test_session_metadata_is_created_then_merged(self, store, user):
        first = store.current_session(user)
        updated = store.update_session(user, {"filters": {"type": "call"}, "gone": 1})
        merged = store.update_session(user, {"last_viewed": "401", "gone": None})

        assert first.user_id == user and first.metadata == {}
        assert updated.outcome == merged.outcome == "updated"
        assert updated.session.id == first.id
        assert merged.session.metadata == {"filters": {"type": "call"}, "last_viewed": "401"}

    def test_session_metadata_past_its_size_is_refused_unchanged(self, store, user):
        store.update_session(user, {"kept": "x" * 10_000})

        refused = store.update_session(user, {"more": "y" * (SESSION_METADATA_MAX_BYTES - 10_000)})

        assert refused.outcome == "too_large"
        assert store.current_session(user).metadata == {"kept": "x" * 10_000}

    def test_an_unknown_user_has_no_session(self, store):
        stranger = uuid.uuid4()

        assert store.current_session(stranger) is None
        assert store.update_session(stranger, {"a": 1}).outcome == "user_not_found"
        assert store.rep(stranger) == RepRecord(known=False, owner_override=None)

    def test_a_hand_made_owner_mapping_is_found(self, store, database_url, user):
        assert store.rep(user) == RepRecord(known=True, owner_override=None)
        with psycopg.connect(database_url) as conn:
            conn.execute(
                "insert into rep_owners (user_id, hubspot_owner_id, hubspot_portal_id) "
                "values (%s, '777', %s)",
                (user, PORTAL_ID),
            )

        assert store.rep(user).owner_override == RepOwner(PORTAL_ID, "777")

    def test_a_hand_made_mapping_must_name_its_account(self, database_url, user):
        with psycopg.connect(database_url) as conn, pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "insert into rep_owners (user_id, hubspot_owner_id) values (%s, '777')", (user,)
            )

    def test_a_mapping_makes_the_rep_that_accounts_owner_only(self, store, database_url, user):
        map_by_hand(database_url, user, OWNER)
        mine = completed_run(store, "470")
        elsewhere = completed_run(store, "471", owner=ELSEWHERE, owner_email="rep@example.com")

        assert (user_of(store, mine), user_of(store, elsewhere)) == (str(user), None)
        assert store.user_for_owner(PORTAL_ID, OWNER.owner_id, None) == user
        assert store.user_for_owner(ELSEWHERE.portal_id, ELSEWHERE.owner_id, None) is None
        # A rep mapped by hand is not also whoever their email is an owner of.
        assert store.user_for_owner(ELSEWHERE.portal_id, "555", "rep@example.com") is None

    def test_a_rep_learned_later_gets_their_accounts_runs_only(self, store, user):
        mine = completed_run(store, "472")
        elsewhere = completed_run(store, "473", owner=ELSEWHERE)

        assert store.link_rep(user, OWNER) == 1
        assert (user_of(store, mine), user_of(store, elsewhere)) == (str(user), None)

    def test_another_accounts_runs_of_the_same_owner_id_are_not_the_reps(
        self, store, database_url, user
    ):
        mine = completed_run(store, "480")
        theirs = completed_run(store, "481", owner=ELSEWHERE)
        their_draft, _ = draft_ids(database_url, theirs)
        their_job = store.request_apply(ELSEWHERE, None, "draft", their_draft, {}).job_id

        assert [str(row.id) for row in store.list_runs(OWNER, None, None, None, 10)] == [mine]
        inbox = store.inbox_page(OWNER, None, None, "newest", None, 10)
        assert [str(entry.id) for entry in inbox.entries] == [mine]
        assert [run["id"] for run in store.record_runs(OWNER, ["480", "481"])] == [mine]
        assert store.activity_runs(PORTAL_ID, "481") is None
        assert store.activity_of("run", uuid.UUID(theirs)).portal_id == ELSEWHERE.portal_id
        assert store.request_apply(OWNER, user, "draft", their_draft, {}).outcome == "not_found"
        assert store.get_job(OWNER, uuid.UUID(their_job)) is None
        assert store.reject_draft(OWNER, their_draft, "not_needed").outcome == "not_found"
        assert store.dismiss_run(OWNER, uuid.UUID(theirs)) == "not_found"
        assert store.restore_run(OWNER, uuid.UUID(theirs)) == "not_found"
        [their_run] = store.activity_runs(ELSEWHERE.portal_id, "481").runs
        assert their_run["dismissed_at"] is None
        assert store.get_job(ELSEWHERE, uuid.UUID(their_job)) is not None

    def test_voice_and_insights_read_the_reps_account_only(self, store, database_url):
        theirs = completed_run(store, "482", owner=ELSEWHERE)
        draft, _ = draft_ids(database_url, theirs)
        edit = AcceptRecord.of("Hi Dana, pricing attached.", "Dana, the pricing, as promised.")
        store.request_apply(ELSEWHERE, None, "draft", draft, {"text": edit.final_text}, edit)
        completed_run(store, "483")
        since = datetime(2000, 1, 1, tzinfo=UTC)

        assert store.rep_voice(ELSEWHERE.portal_id, ELSEWHERE.owner_id).examples == (
            edit.final_text,
        )
        assert store.rep_voice(OWNER.portal_id, OWNER.owner_id) == RepVoice(None, ())
        for owner in (OWNER.owner_id, None):  # the rep's own, and their account's team
            figures = store.insights(PORTAL_ID, owner, since)
            assert (figures["total"]["offered"], figures["total"]["accepted"]) == (2, 0)
        assert store.insights(ELSEWHERE.portal_id, None, since)["total"]["accepted"] == 1

    def test_our_own_write_backs_are_recognised(self, store, database_url, user):
        draft = draft_ids(database_url, completed_run(store, "408"))[0]
        job = uuid.UUID(store.request_apply(OWNER, user, "draft", draft, {}).job_id)
        store.claim_job(job)
        store.record_job_object(job, "408", "2026-03-05T10:00:00+00:00")

        assert store.is_own_write(PORTAL_ID, "408", "2026-03-05T10:00:00+00:00")
        assert not store.is_own_write(PORTAL_ID, "408", "2026-03-06T10:00:00+00:00")
        # Another account's activity 408 is not the task this app wrote.
        assert not store.is_own_write(PORTAL_ID + 1, "408", "2026-03-05T10:00:00+00:00")

    def test_a_task_we_created_is_recognised_in_every_version(self, store, database_url, user):
        draft = draft_ids(database_url, completed_run(store, "409"))[0]
        job = uuid.UUID(store.request_apply(OWNER, user, "draft", draft, {}).job_id)
        store.claim_job(job)
        store.record_job_object(job, "5555", "2026-03-05T10:00:00+00:00")

        assert store.is_own_write(PORTAL_ID, "5555", "2026-03-05T10:00:00+00:00")
        assert store.is_own_write(PORTAL_ID, "5555", "anything later")

    def test_the_jobs_of_one_run_take_turns(self, store, database_url, user):
        run_id = completed_run(store, "410")
        first_draft, second_draft = draft_ids(database_url, run_id)
        first = uuid.UUID(store.request_apply(OWNER, user, "draft", first_draft, {}).job_id)
        second = uuid.UUID(store.request_apply(OWNER, user, "draft", second_draft, {}).job_id)

        assert isinstance(store.claim_job(first), ClaimedJob)
        assert store.claim_job(second) == RunBusy()
        assert store.waiting_jobs(first) == [str(second)]
        store.finish_job(first, "applied")
        assert isinstance(store.claim_job(second), ClaimedJob)
        assert store.waiting_jobs(first) == []

    def test_a_job_applying_past_its_lease_no_longer_holds_the_run(self, store, database_url, user):
        run_id = completed_run(store, "411")
        first_draft, second_draft = draft_ids(database_url, run_id)
        first = uuid.UUID(store.request_apply(OWNER, user, "draft", first_draft, {}).job_id)
        second = uuid.UUID(store.request_apply(OWNER, user, "draft", second_draft, {}).job_id)
        store.claim_job(first)

        assert isinstance(store.claim_job(second, lease_seconds=0), ClaimedJob)
