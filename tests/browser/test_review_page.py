"""A rep's review page in a real browser, against the whole local stack."""

from __future__ import annotations

import html
import re
import time
import uuid
from datetime import UTC, datetime

import httpx
import psycopg
import pytest

from devstack.hubspot_simulator.server import DEFAULT_PORTAL_ID
from devstack.processes import wait_until
from shared.settings import DEVELOPMENT_DEFAULTS

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

APPLY_TIMEOUT_MS = 45_000
# The first pages read HubSpot (the simulator) for every activity on them, on a cold web
# process that also builds its database pool: seconds on a busy 2-core machine.
FIRST_LOAD_TIMEOUT_MS = 20_000
MARIA = "71000001"  # the demo portal's owner for the stack's demo rep
STATES = {"to_do": "To do", "done": "Done", "needs_attention": "Needs attention"}
PLANTED = '<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'">'


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def sign_in(visit, stack, token: str | None = None) -> None:
    page = visit.page
    page.goto(f"{stack.web_url}/")
    page.get_by_label("Development token").fill(token or stack.token())
    page.get_by_role("button", name="Sign in with token").click()


def filter_by_type(page, activity_type: str) -> None:
    """Pick a type and wait until the list shows nothing else (the old list had all types)."""
    page.get_by_label("Type").select_option(activity_type)
    expect(page).to_have_url(re.compile(f"type={activity_type}"))
    expect(page.locator(f"a.inbox-item:not(:has(.type-{activity_type}))")).to_have_count(0)
    expect(page.locator("a.inbox-item").first).to_be_visible()


def in_hubspot(stack, object_type: str, object_id: str, *properties: str) -> dict:
    token = stack.env.get("HUBSPOT_ACCESS_TOKEN", DEVELOPMENT_DEFAULTS["hubspot_access_token"])
    answer = httpx.get(
        f"{stack.simulator_url}/crm/objects/2026-03/{object_type}/{object_id}",
        params={"properties": ",".join(properties)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["properties"]


def test_a_rep_signs_in_edits_and_accepts_a_draft_and_applies_dates(visit, local_stack):
    page = visit.page
    sign_in(visit, local_stack)
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    results = page.locator("a.inbox-item")
    expect(results).to_have_count(_results_of(local_stack, MARIA), timeout=FIRST_LOAD_TIMEOUT_MS)
    visit.shot("inbox")

    filter_by_type(page, "meeting")
    expect(results.locator(".subject", has_text="Discovery: Northwind dispatch")).to_be_visible()
    visit.shot("filtered-meetings")

    filter_by_type(page, "task")
    task = results.first
    task_id = task.get_attribute("data-activity-id")
    subject = task.locator(".subject").inner_text()
    task.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        subject, timeout=FIRST_LOAD_TIMEOUT_MS
    )
    drafts = page.locator("article.draft")
    expect(drafts.first).to_be_visible()
    expect(page.locator("#activity-text")).not_to_be_empty()
    # The local stack runs the offline model, and the page says so.
    expect(page.locator("p.model-note")).to_contain_text("offline model (local/heuristic)")
    # Every draft is shown in full: no box scrolls inside.
    page.wait_for_function(
        "[...document.querySelectorAll('article.draft textarea')]"
        ".every((box) => box.scrollHeight <= box.clientHeight + 2)",
        timeout=5000,
    )
    visit.shot("activity")

    notes_before = in_hubspot(local_stack, "tasks", task_id, "hs_task_body")["hs_task_body"]
    assert notes_before  # the rep's own notes, which accepting must keep
    edited = f"Edited in the browser test {uuid.uuid4().hex[:8]}: call Dana on Monday."
    first = drafts.first
    first.locator("textarea.draft-text").fill(edited)
    # Before the click the page says what Accept writes where, and that it sends no email.
    effect = first.locator("p.effect")
    expect(effect).to_contain_text(f"HubSpot task “{subject}”")
    expect(effect).to_contain_text("goes below the task's notes")
    expect(effect).to_contain_text("No email is sent.")
    expect(first.get_by_label("Add below what is there")).to_be_checked()
    visit.shot("draft-edited")
    first.get_by_role("button", name="Accept").click()
    status = first.get_by_role("status")
    expect(status).to_contain_text("Applied to HubSpot.", timeout=APPLY_TIMEOUT_MS)
    expect(status).to_contain_text(f"Updated the HubSpot task “{subject}”")
    expect(status.get_by_role("link", name="Open in HubSpot")).to_have_attribute(
        "href", re.compile(r"^https://app\.hubspot\.com/contacts/\d+/record/0-[12]/\d+$")
    )
    expect(first.get_by_role("button", name="Accept")).to_be_disabled()
    expect(status).to_be_focused()  # keyboard users carry on from the answer
    visit.shot("draft-applied")

    page.get_by_label("Due").fill("2027-01-15T10:30")
    page.get_by_role("button", name="Apply dates").click()
    dates_status = page.locator("section.dates").get_by_role("status")
    expect(dates_status).to_contain_text("Applied to HubSpot.", timeout=APPLY_TIMEOUT_MS)
    visit.shot("dates-applied")

    written = in_hubspot(local_stack, "tasks", task_id, "hs_task_body", "hs_timestamp")
    assert written["hs_task_body"] == f"{notes_before}\n\n{edited}"
    due = datetime(2027, 1, 15, 10, 30, tzinfo=UTC)
    assert _instant(written["hs_timestamp"]) == due
    assert visit.page_errors == [] and visit.dialogs == []


def test_the_page_works_from_the_keyboard_on_a_phone_sized_screen(visit, local_stack):
    page = visit.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{local_stack.web_url}/")
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    for _ in range(4):  # past Password, "Sign in" and "Email me a sign-in link"
        page.keyboard.press("Tab")
    expect(page.get_by_label("Development token")).to_be_focused()
    page.keyboard.insert_text(local_stack.token())
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in with token")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    visit.shot("inbox-phone")

    first = page.locator("a.inbox-item").first
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("article.draft").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px wide"
    visit.shot("activity-phone")


def test_untrusted_text_is_shown_as_text_and_never_runs(visit, local_stack):
    task_id = _task_with_planted_text(local_stack)
    page = visit.page
    sign_in(visit, local_stack)
    item = page.locator(f'a.inbox-item[data-activity-id="{task_id}"]')
    expect(item).to_be_visible()
    expect(item.locator(".subject")).to_have_text(f"Follow up {PLANTED}")
    visit.shot("inbox-with-planted-text")

    item.click()
    expect(page.locator("#activity-text")).to_have_text(f"Customer wrote: {PLANTED}")
    expect(page.locator("article.draft textarea.draft-text").first).to_have_value(
        f"Draft {PLANTED}"
    )
    expect(page.locator(".rationale")).to_have_text(f"Because {PLANTED}")
    visit.shot("activity-with-planted-text")

    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert visit.dialogs == []


def test_an_expired_session_goes_back_to_sign_in_with_a_message(visit, local_stack):
    page = visit.page
    sign_in(visit, local_stack, local_stack.token(hours=-1))
    expect(page.get_by_role("alert")).to_contain_text("That token has expired")
    visit.shot("expired-token-refused")

    sign_in(visit, local_stack, local_stack.token(hours=4 / 3600))
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    time.sleep(4.5)
    page.get_by_label("Type").select_option("note")
    expect(page.get_by_role("alert")).to_have_text("Your session has expired. Sign in again.")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    visit.shot("session-expired")


def test_a_double_click_sends_one_request_and_errors_are_in_plain_words(visit, local_stack):
    page = visit.page
    accepts: list[int] = []
    page.on("request", lambda r: r.method == "POST" and "/accept" in r.url and accepts.append(1))
    sign_in(visit, local_stack)
    filter_by_type(page, "note")
    page.locator("a.inbox-item").first.click()

    page.get_by_label("Reminder").fill("2027-03-02T09:00")
    page.get_by_label("Due").fill("2027-03-01T09:00")
    page.get_by_role("button", name="Apply dates").click()
    status = page.locator("section.dates").get_by_role("status")
    expect(status).to_contain_text("Please check what you entered.")
    visit.shot("dates-refused")

    draft, other = page.locator("article.draft").first, page.locator("article.draft").nth(1)
    expect(draft.locator("p.effect")).to_contain_text("Accept creates a HubSpot task “Follow up: ")
    expect(other.locator("p.effect")).to_contain_text("another draft here updates that same task")
    draft.get_by_role("button", name="Accept").dblclick()
    expect(draft.get_by_role("status")).to_contain_text(
        "Applied to HubSpot.", timeout=APPLY_TIMEOUT_MS
    )
    assert len(accepts) == 1, accepts
    expect(draft.get_by_role("status")).to_contain_text("Created the HubSpot task “Follow up: ")
    # The other drafts now say they would update the task just created, keeping its notes.
    expect(other.locator("p.effect")).to_contain_text("already created for this activity")
    expect(other.get_by_label("Add below what is there")).to_be_checked()
    visit.shot("accepted-once")


def _task_with_planted_text(stack) -> str:
    """A task whose subject, text, drafts and rationale all carry markup."""
    answer = httpx.post(
        f"{stack.simulator_url}/_admin/activities",
        json={
            "type": "tasks",
            "properties": {
                # HubSpot keeps text as HTML: the markup arrives escaped, as literal text.
                "hs_task_subject": html.escape(f"Follow up {PLANTED}"),
                "hs_task_body": html.escape(f"Customer wrote: {PLANTED}"),
                "hs_task_status": "NOT_STARTED",
                "hs_timestamp": "+2d@10:00",
                "hubspot_owner_id": MARIA,
            },
        },
        timeout=10,
    )
    answer.raise_for_status()
    task_id = str(answer.json()["results"][0]["id"])
    with psycopg.connect(stack.database_url, autocommit=True) as db:
        wait_until(lambda: _completed(db, task_id), 60, "the planted task to be processed")
        db.execute(
            "update ai_generated_drafts set draft_text = %s where activity_id = %s",
            (f"Draft {PLANTED}", task_id),
        )
        db.execute(
            "update touch_date_recommendations set rationale = %s where activity_id = %s",
            (f"Because {PLANTED}", task_id),
        )
    return task_id


def _results_of(stack, owner_id: str) -> int:
    return len(_ready_activities(stack, owner_id))


def _ready_activities(stack, owner_id: str, state: str = "to_do") -> set[str]:
    """The activities the inbox lists under this state, as the database function says."""
    with psycopg.connect(stack.database_url) as db:
        query = "select activity_id from app_inbox_all(%s, %s, null, 'newest') where state = %s"
        return {row[0] for row in db.execute(query, (DEFAULT_PORTAL_ID, owner_id, state))}


def _deleted(db, activity_id: str) -> bool:
    query = (
        "select count(*) from ai_processing_logs where activity_id = %s"
        " and error_class = 'ActivityDeleted'"
    )
    return db.execute(query, (activity_id,)).fetchone()[0] > 0


def _create_activities(stack, object_type: str, properties: list[dict]) -> list[str]:
    items = [
        {"type": object_type, "properties": {**props, "hubspot_owner_id": MARIA}}
        for props in properties
    ]
    answer = httpx.post(
        f"{stack.simulator_url}/_admin/activities", json={"activities": items}, timeout=30
    )
    answer.raise_for_status()
    return [str(record["id"]) for record in answer.json()["results"]]


def _completed(db, activity_id: str) -> bool:
    return _runs_completed(db, activity_id) > 0


def _runs_completed(db, activity_id: str) -> int:
    query = (
        "select count(*) from ai_processing_logs where activity_id = %s and status = 'completed'"
    )
    return db.execute(query, (activity_id,)).fetchone()[0]


def _instant(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_rep_signs_in_with_supabase_auth_and_out_again(visit, local_stack):
    page = visit.page
    account = local_stack.supabase_account
    page.goto(f"{local_stack.web_url}/")
    page.get_by_label("Email", exact=True).fill(account.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Invalid login credentials")
    visit.shot("wrong-password")

    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    expect(page.locator("#account-email")).to_have_text(account.email)
    expect(page.locator("a.inbox-item").first).to_be_visible()
    visit.shot("signed-in-with-supabase")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert visit.page_errors == []


def test_a_rejected_draft_stays_rejected_and_a_dismissed_result_leaves_the_inbox(
    visit, local_stack
):
    page = visit.page
    sign_in(visit, local_stack)
    filter_by_type(page, "call")
    call = page.locator("a.inbox-item").first
    call_id = call.get_attribute("data-activity-id")
    call.click()
    draft = page.locator("article.draft").first
    draft.get_by_role("button", name="Reject", exact=True).click()
    send = draft.get_by_role("button", name="Reject this draft")
    send.click()
    expect(draft.get_by_role("alert")).to_have_text("Pick a reason.")
    draft.get_by_role("radio", name="Other").check()
    send.click()
    expect(draft.get_by_role("alert")).to_have_text("Say what was wrong.")
    draft.get_by_role("radio", name="Wrong tone").check()
    visit.shot("reject-reason")
    send.click()
    expect(draft.get_by_role("status")).to_have_text("Rejected: wrong tone.")
    expect(draft.get_by_role("status")).to_be_focused()
    visit.shot("draft-rejected")

    page.reload()
    draft = page.locator("article.draft").first
    expect(draft.get_by_role("status")).to_have_text("Rejected: wrong tone.")  # as stored
    expect(draft.get_by_role("button", name="Accept")).to_be_disabled()
    page.get_by_role("button", name="Dismiss these suggestions").click()
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    expect(page.locator("a.inbox-item").first).to_be_visible()
    expect(page.locator(f'a.inbox-item[data-activity-id="{call_id}"]')).to_have_count(0)
    visit.shot("dismissed")

    page.get_by_role("link", name=re.compile(r"^Done \(\d+\)$")).click()
    dismissed = page.locator(f'a.inbox-item[data-activity-id="{call_id}"]')
    expect(dismissed.locator(".why")).to_have_text("Dismissed.")
    visit.shot("dismissed-under-done")
    page.go_back()
    page.get_by_role("button", name="Undo").click()
    restored = page.locator(f'a.inbox-item[data-activity-id="{call_id}"]')
    expect(restored).to_be_focused()
    expect(page.get_by_role("link", name=re.compile(r"^To do \(\d+\)$"))).to_have_attribute(
        "aria-current", "page"
    )
    visit.shot("dismissal-undone")


def test_the_inbox_shows_each_state_with_its_count(visit, local_stack):
    page = visit.page
    sign_in(visit, local_stack)
    counts = {state: len(_ready_activities(local_stack, MARIA, state)) for state in STATES}
    for state, label in STATES.items():
        tab = page.get_by_role("link", name=f"{label} ({counts[state]})")
        expect(tab).to_be_visible(timeout=FIRST_LOAD_TIMEOUT_MS)
    for state, label in STATES.items():
        page.get_by_role("link", name=f"{label} ({counts[state]})").click()
        entries = page.locator("a.inbox-item")
        if counts[state]:
            expect(entries).to_have_count(min(counts[state], 20))
        else:
            expect(page.locator("li.empty")).to_contain_text("appear here")
        visit.shot(f"tab-{state}")
    # A title is never a raw id, and every entry's dates say what they are.
    titles = page.locator("a.inbox-item .subject").all_inner_texts()
    assert not any(title.strip().isdigit() for title in titles)


def test_an_activity_deleted_in_hubspot_needs_attention_and_offers_only_dismiss(visit, local_stack):
    [note_id] = _create_activities(
        local_stack,
        "notes",
        [
            {
                "hs_note_body": "Dana asked for the security questionnaire by Friday.",
                "hs_timestamp": "-1h",
            }
        ],
    )
    with psycopg.connect(local_stack.database_url, autocommit=True) as db:
        wait_until(lambda: _completed(db, note_id), 60, "the note to be processed")
        httpx.delete(
            f"{local_stack.simulator_url}/_admin/objects/notes/{note_id}", timeout=10
        ).raise_for_status()
        wait_until(lambda: _deleted(db, note_id), 60, "the deletion to reach the pipeline")
    page = visit.page
    sign_in(visit, local_stack)
    page.get_by_role("link", name=re.compile(r"^Needs attention \(\d+\)$")).click()
    entry = page.locator(f'a.inbox-item[data-activity-id="{note_id}"]')
    expect(entry.locator(".subject")).to_have_text("Note deleted in HubSpot")
    expect(entry.locator(".why")).to_contain_text("Deleted in HubSpot")
    visit.shot("deleted-needs-attention")

    entry.click()
    expect(page.locator(".stale-banner")).to_contain_text("Deleted in HubSpot")
    for button in page.locator("article.draft button, section.dates button").all():
        expect(button).to_be_disabled()
    expect(page.get_by_role("button", name="Dismiss these suggestions")).to_be_enabled()
    visit.shot("deleted-actions-disabled")


def test_a_tampered_token_is_not_valid_rather_than_expired(visit, local_stack):
    page = visit.page
    header, payload, signature = local_stack.token().split(".")
    tampered = (
        f"{header}.{payload}.{signature[:-4]}{'AAAA' if signature[-4:] != 'AAAA' else 'BBBB'}"
    )
    sign_in(visit, local_stack, tampered)
    expect(page.get_by_role("alert")).to_have_text("That sign-in is not valid. Sign in again.")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    visit.shot("tampered-token")


def test_an_activity_changed_in_hubspot_meanwhile_is_reported_not_overwritten(visit, local_stack):
    page = visit.page
    sign_in(visit, local_stack)
    filter_by_type(page, "meeting")
    meeting = page.locator("a.inbox-item").first
    meeting_id = meeting.get_attribute("data-activity-id")
    meeting.click()
    expect(page.locator("article.draft").first).to_be_visible()

    changed = "Moved to next week at the customer's request."
    httpx.patch(
        f"{local_stack.simulator_url}/_admin/objects/meetings/{meeting_id}",
        json={"properties": {"hs_meeting_body": changed}},
        timeout=10,
    ).raise_for_status()
    draft = page.locator("article.draft").first
    draft.get_by_role("button", name="Accept").click()
    expect(draft.get_by_role("status")).to_contain_text(
        "Not applied: the activity changed in HubSpot", timeout=APPLY_TIMEOUT_MS
    )
    expect(draft.get_by_role("button", name="Accept")).to_be_disabled()
    visit.shot("conflict-reported")
    body = in_hubspot(local_stack, "meetings", meeting_id, "hs_meeting_body")["hs_meeting_body"]
    assert body == changed

    with psycopg.connect(local_stack.database_url, autocommit=True) as db:
        wait_until(lambda: _runs_completed(db, meeting_id) == 2, 30, "the edited version's run")
    draft.get_by_role("button", name="Show the latest version").click()
    expect(page.locator("#activity-text")).to_contain_text(changed)
    latest = page.locator("article.draft").first
    expect(latest.get_by_role("status")).to_be_empty()
    expect(latest.get_by_role("button", name="Accept")).to_be_enabled()
    visit.shot("latest-version")


def test_a_rep_linked_to_no_hubspot_owner_is_told_so_in_plain_words(visit, local_stack):
    page = visit.page
    sign_in(visit, local_stack, local_stack.token(email="new.hire@brightlane.example"))
    expect(page.get_by_role("alert")).to_have_text(
        "Your account isn't linked to a HubSpot owner yet. Ask an admin to link it."
    )
    expect(page.get_by_role("heading", name="This page could not be loaded")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_focused()
    visit.shot("no-owner")


def test_show_more_pages_through_a_long_inbox(visit, local_stack):
    page_size = 20
    missing = page_size + 3 - _results_of(local_stack, MARIA)
    created = _create_tasks(local_stack, max(missing, 0))
    with psycopg.connect(local_stack.database_url, autocommit=True) as db:
        wait_until(lambda: all(_completed(db, task_id) for task_id in created), 60, "the new tasks")
    page = visit.page
    sign_in(visit, local_stack)
    results = page.locator("a.inbox-item")
    expect(results.first).to_be_visible()
    first_page = results.count()
    assert first_page <= page_size  # an activity with two ready runs is listed once
    more = page.get_by_role("button", name="Show more")
    more.click()
    expect(more).to_be_hidden()
    ids = [item.get_attribute("data-activity-id") for item in results.all()]
    assert len(ids) == len(set(ids))  # each activity once, across the pages
    assert set(ids) == _ready_activities(local_stack, MARIA)
    visit.shot("all-pages")


def _create_tasks(stack, count: int) -> list[str]:
    items = [
        {
            "type": "tasks",
            "properties": {
                "hs_task_subject": f"Check in with Dana, part {n}",
                "hs_task_body": "Ask whether Finance approved the multi-year discount.",
                "hs_task_status": "NOT_STARTED",
                "hs_timestamp": "+3d@09:00",
                "hubspot_owner_id": MARIA,
            },
        }
        for n in range(count)
    ]
    if not items:
        return []
    answer = httpx.post(
        f"{stack.simulator_url}/_admin/activities", json={"activities": items}, timeout=30
    )
    answer.raise_for_status()
    return [str(record["id"]) for record in answer.json()["results"]]


def test_the_insights_page_charts_a_reps_drafts_and_refuses_the_team_to_a_rep(visit, local_stack):
    page = visit.page
    accepted_tone = _accept_a_draft(local_stack)
    sign_in(visit, local_stack)
    expect(page.get_by_role("heading", name="Your AI suggestions")).to_be_visible()
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Insights").click()

    expect(page.get_by_role("heading", name="Your drafts")).to_be_visible()
    expect(page.locator("#insights-total")).to_contain_text("drafts")
    chart = page.get_by_role("img", name=re.compile("^Accepted, by tone: "))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile(f"{accepted_tone} [1-9]"))
    expect(chart.locator("rect.bar:not([width='0'])")).not_to_have_count(0)
    expect(page.get_by_role("table", name="Accepted, by tone")).to_be_visible()
    visit.shot("insights")

    page.get_by_role("link", name="Whole team").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Only a team lead can see the whole team's drafts."
    )
    visit.shot("team-refused")
    assert not visit.page_errors


def _accept_a_draft(stack) -> str:
    """Accept one of the demo rep's drafts through the API; its tone."""
    headers = {"Authorization": f"Bearer {stack.token()}"}
    runs = httpx.get(f"{stack.web_url}/api/v1/runs", headers=headers, timeout=30).json()["runs"]
    activity = httpx.get(
        f"{stack.web_url}/api/v1/activities/{runs[0]['activity_id']}", headers=headers, timeout=30
    ).json()
    draft = activity["runs"][0]["drafts"][0]
    accept = f"{stack.web_url}/api/v1/drafts/{draft['id']}/accept"
    assert httpx.post(accept, headers=headers, timeout=30).status_code == 202
    return draft["tone"]
