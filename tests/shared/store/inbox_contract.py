"""The inbox every store must give: one entry per activity, in the state a rep works by."""

import uuid

from shared.store.base import RunResults
from tests.conftest import PORTAL_ID
from tests.shared.store.conftest import make_activity, make_results
from tests.shared.store.review_contract import OTHER, OWNER, completed_run, draft_ids

GONE_VERSION = "gone"


def entries(store, state=None, order="newest", after=None, limit=20, activity_type=None):
    return store.inbox_page(OWNER, state, activity_type, order, after, limit).entries


def counts(store, activity_type=None) -> dict[str, int]:
    return store.inbox_page(OWNER, None, activity_type, "newest", None, 1).counts


def by_activity(store) -> dict[str, tuple[str, str | None]]:
    return {e.activity_id: (e.state, e.state_reason) for e in entries(store)}


def due_run(store, activity_id: str, due: str | None) -> str:
    run = store.queue_run(make_activity(activity_id), PORTAL_ID)
    store.claim_run(run.run_id)
    results = make_results()
    recommendation = None
    if due:
        recommendation = {
            **results.recommendation,
            "recommended_start": None,
            "recommended_due": due,
        }
    store.complete_run(
        run.run_id,
        RunResults(results.drafts, recommendation, None, results.scores),
    )
    return str(run.run_id)


def accepted_job(store, database_url: str, run_id: str) -> uuid.UUID:
    draft = draft_ids(database_url, run_id)[0]
    request = store.request_apply(OWNER, None, "draft", draft, {})
    return uuid.UUID(str(request.job_id))


class InboxContract:
    def test_each_activity_is_one_entry_in_the_state_a_rep_works_by(self, store, database_url):
        completed_run(store, "601")
        store.dismiss_run(OWNER, uuid.UUID(completed_run(store, "602")))
        accepted_job(store, database_url, completed_run(store, "603"))
        applied = accepted_job(store, database_url, completed_run(store, "604"))
        store.claim_job(applied)
        store.finish_job(applied, "applied")
        conflict = accepted_job(store, database_url, completed_run(store, "605"))
        store.claim_job(conflict)
        store.finish_job(conflict, "conflict", "the activity changed in HubSpot")
        failed = store.queue_run(make_activity("606"), PORTAL_ID)
        store.claim_run(failed.run_id)
        store.finish_run(failed.run_id, "failed", "Timeout", "the model did not answer")
        completed_run(store, "607")
        gone = store.queue_gone("607", "call", GONE_VERSION, PORTAL_ID)
        store.finish_run(gone.run_id, "skipped", "ActivityDeleted", "deleted in HubSpot")
        store.queue_run(make_activity("608"), PORTAL_ID)  # not processed yet
        completed_run(store, "699", owner=OTHER)

        assert by_activity(store) == {
            "601": ("to_do", None),
            "602": ("done", "dismissed"),
            "603": ("done", "accepted"),
            "604": ("done", "applied"),
            "605": ("needs_attention", "conflict"),
            "606": ("needs_attention", "failed"),
            "607": ("needs_attention", "deleted"),
            "608": ("other", None),
        }
        details = {e.activity_id: e.state_detail for e in entries(store, "needs_attention")}
        assert details == {
            "605": "the activity changed in HubSpot",
            "606": "the model did not answer",
            "607": None,
        }
        # The deletion's own record names no owner; the activity stays its last owner's.
        assert store.activity_runs(PORTAL_ID, "607").activity.owner_id == OWNER.owner_id
        assert counts(store) == {"to_do": 1, "done": 3, "needs_attention": 3, "other": 1}

    def test_an_activity_shows_its_newest_run_but_never_the_echo_of_our_own_write(self, store):
        completed_run(store, "611")
        newer = completed_run(store, "611", version_minute=5)
        echo = store.queue_run(make_activity("611", version_minute=9), PORTAL_ID)
        store.claim_run(echo.run_id)
        store.finish_run(echo.run_id, "skipped", "OwnWriteBack", "written by this app")

        [entry] = entries(store)

        assert (str(entry.id), entry.state) == (newer, "to_do")

    def test_entries_sort_newest_first_or_soonest_due_and_page_by_cursor(self, store):
        later = due_run(store, "621", "2026-03-20T09:00:00+00:00")
        none = due_run(store, "622", None)
        soon = due_run(store, "623", "2026-03-10T09:00:00+00:00")

        newest = [str(e.id) for e in entries(store)]
        [first] = entries(store, order="due", limit=1)
        rest = entries(store, order="due", after=(first.sort_key, first.id))

        assert newest == [soon, none, later]
        assert [str(e.id) for e in [first, *rest]] == [soon, later, none]
        assert str(first.recommended_due.date()) == "2026-03-10"

    def test_state_and_type_filter_the_entries_and_the_counts(self, store):
        completed_run(store, "631")
        completed_run(store, "632", type="email")
        store.dismiss_run(OWNER, uuid.UUID(completed_run(store, "633", type="email")))

        assert [e.activity_id for e in entries(store, "to_do", activity_type="email")] == ["632"]
        assert counts(store, "email") == {"to_do": 1, "done": 1}
