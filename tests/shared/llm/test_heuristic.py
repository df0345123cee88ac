"""The local heuristic model: drafts, opportunity signals, determinism, litellm plumbing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import litellm
import pytest

from shared.hubspot.models import Contact
from shared.llm.heuristic import MODEL, OFFLINE_CEILING, PROVIDER, register, suggestions_for
from shared.llm.prompt import activity_payload, render_messages
from shared.llm.schema import Suggestions
from tests.shared.llm.factories import DANA, GREG, NOW, ROLLOUT, long_history, make_activity

FRIDAY = datetime(2026, 3, 6, 17, tzinfo=UTC)


def heuristic(body: str = "", include_opportunity: bool = True, **fields: object) -> Suggestions:
    activity = make_activity(body, **fields) if body else make_activity(**fields)
    return suggestions_for(activity_payload(activity, NOW, include_opportunity))


def test_the_pricing_call_is_due_before_the_budget_review_and_is_an_open_deal() -> None:
    suggestions = heuristic()

    touch = suggestions.touch_date
    assert NOW < touch.recommended_due <= FRIDAY
    assert touch.recommended_due.date().isoformat() == "2026-03-05"
    assert "Friday" in touch.rationale
    assert suggestions.opportunity is not None
    assert suggestions.opportunity.status == "open"
    assert suggestions.opportunity.probability > 0.5


def test_drafts_use_the_name_the_ask_and_the_date_in_different_tones() -> None:
    drafts = heuristic().drafts

    assert [d.tone for d in drafts] == ["friendly", "formal", "concise"]
    assert len({d.text for d in drafts}) == 3
    for draft in drafts:
        assert "Dana" in draft.text and "Ortiz" not in draft.text
        assert "pricing for 50 seats" in draft.text
        assert "Thu" in draft.text  # the day it is promised for
        assert "[" not in draft.text
    assert "Acme Corp" in drafts[1].text


def test_a_draft_without_name_or_ask_is_generic_and_less_confident() -> None:
    specific = heuristic().drafts
    generic = heuristic("Left a voicemail.", contacts=[], subject="Voicemail").drafts

    assert all(g.confidence < s.confidence for g, s in zip(generic, specific, strict=True))
    assert generic[0].text.startswith("Hi there,")
    assert all("[" not in draft.text for draft in generic)


def test_a_cadence_date_is_proposed_not_promised() -> None:
    drafts = heuristic("Talked about their roadmap.").drafts

    assert "Would Friday, March 6 work" in drafts[0].text
    assert drafts[2].text.endswith("Check in Fri Mar 6?")
    assert all("You'll have it" not in draft.text for draft in drafts)


def test_a_named_ask_becomes_the_topic() -> None:
    body = "Email from Dana. She asked for a security review of their SSO setup."
    drafts = heuristic(body, type="email", direction="INCOMING_EMAIL").drafts

    assert "your request for a security review of your SSO setup" in drafts[0].text
    assert drafts[0].text.splitlines()[2].startswith("Thanks for your email!")


def test_opportunity_status_follows_outcomes() -> None:
    won = heuristic("Great news: they signed the contract for 50 seats.").opportunity
    lost = heuristic("Dana is not interested; they went with a competitor.").opportunity
    unsigned = heuristic("The contract has not been signed yet.").opportunity

    assert won is not None and (won.status, won.probability) == ("won", 0.95)
    assert lost is not None and lost.status == "lost" and lost.probability < 0.1
    assert unsigned is not None and unsigned.status == "open"
    assert heuristic("Chatted about the weather.").opportunity is None


def test_no_opportunity_unless_asked_for() -> None:
    assert heuristic(include_opportunity=False).opportunity is None


def test_short_text_still_gives_valid_output() -> None:
    suggestions = heuristic("ok", contacts=[Contact(id="c-2")], companies=[], subject="")

    assert len(suggestions.drafts) >= 2
    assert suggestions.touch_date.recommended_due > NOW


def test_same_input_same_output() -> None:
    assert heuristic().model_dump_json() == heuristic().model_dump_json()


def test_registered_once_and_callable_through_litellm_without_a_key() -> None:
    register()
    register()
    messages = render_messages(make_activity(), NOW, include_opportunity=False)

    first = litellm.completion(model=MODEL, messages=messages, num_retries=0)
    second = litellm.completion(model=MODEL, messages=messages, num_retries=0)

    assert [i["provider"] for i in litellm.custom_provider_map].count(PROVIDER) == 1
    assert first.model == MODEL
    assert first.choices[0].message.content == second.choices[0].message.content
    parsed = Suggestions.model_validate_json(first.choices[0].message.content)
    assert parsed == heuristic(include_opportunity=False)
    prompt_chars = sum(len(m["content"]) for m in messages)
    assert abs(first.usage.prompt_tokens - prompt_chars / 4) <= 2
    assert first.usage.completion_tokens > 50


def test_async_calls_give_the_same_answer() -> None:
    register()
    messages = render_messages(make_activity(), NOW, include_opportunity=False)

    sync = litellm.completion(model=MODEL, messages=messages, num_retries=0)
    async_ = asyncio.run(litellm.acompletion(model=MODEL, messages=messages, num_retries=0))

    assert async_.choices[0].message.content == sync.choices[0].message.content


def test_a_prompt_without_an_activity_block_is_a_bad_request() -> None:
    register()

    with pytest.raises(litellm.BadRequestError, match="no activity block"):
        litellm.completion(model=MODEL, messages=[{"role": "user", "content": "hi"}])


def test_a_meeting_yet_to_happen_is_not_thanked_for() -> None:
    ahead = make_activity(
        "Demo of the reporting module for Dana's team.",
        type="meeting",
        subject="Reporting demo",
        occurred_at=NOW + timedelta(days=6),
    )

    drafts = suggestions_for(activity_payload(ahead, NOW, include_opportunity=False)).drafts

    assert all("thank" not in draft.text.lower() for draft in drafts)
    assert any(
        "look forward" in draft.text.lower() or "looking forward" in draft.text.lower()
        for draft in drafts
    )


def test_an_opt_out_gets_no_follow_up_and_the_reason() -> None:
    email = make_activity("Please remove me from your list, we're not interested.", type="email")

    answer = suggestions_for(activity_payload(email, NOW, include_opportunity=False))

    assert (answer.follow_up, answer.flag, answer.drafts, answer.touch_date) == (
        False,
        "opt_out",
        [],
        None,
    )
    assert "remove me from your list" in (answer.flag_reason or "")


def test_an_upset_customer_gets_an_apology_not_thanks() -> None:
    email = make_activity(
        "Two days of outage. This is unacceptable. We need a fix today.",
        type="email",
        direction="INCOMING_EMAIL",
    )

    answer = suggestions_for(activity_payload(email, NOW, include_opportunity=False))

    assert answer.flag == "hostile" and answer.follow_up
    assert all("thanks for your" not in draft.text.lower() for draft in answer.drafts)
    assert any(
        "sorry" in draft.text.lower() or "apolog" in draft.text.lower() for draft in answer.drafts
    )


def test_drafts_are_not_built_from_the_reps_internal_remarks() -> None:
    note = (
        "Dana is happy with the pilot.\n"
        "Internal: she wants a quote for 80 seats by Friday; our floor is 18%, don't go lower."
    )

    suggestions = heuristic(note, type="note", owner_name="Maria Chen")

    for draft in suggestions.drafts:
        assert "80 seats" not in draft.text
        assert "18%" not in draft.text


def test_the_offline_model_never_claims_more_than_its_ceiling() -> None:
    best = heuristic("Dana confirmed: pricing for 50 seats by March 6, 2026, no later.")

    confidences = [best.touch_date.confidence, *(draft.confidence for draft in best.drafts)]
    assert max(confidences) <= OFFLINE_CEILING
    assert best.touch_date.confidence >= 0.5  # still its best reading


def test_a_cadence_and_a_template_are_clearly_less_sure_than_a_reading() -> None:
    read = heuristic()  # pricing for 50 seats before Friday's budget review
    fallback = heuristic("Talked about their roadmap.", subject="Roadmap")

    assert fallback.touch_date.confidence <= read.touch_date.confidence - 0.15
    for template, specific in zip(fallback.drafts, read.drafts, strict=True):
        assert template.confidence <= specific.confidence - 0.15


def test_the_drafts_greet_the_addressee_of_several_contacts() -> None:
    contacts = [DANA, GREG]
    first = heuristic(include_opportunity=False, contacts=contacts).drafts
    to_greg = heuristic(include_opportunity=False, contacts=contacts, addressee_id=GREG.id).drafts

    assert all("Dana" in draft.text for draft in first)
    assert all("Greg" in draft.text and "Dana" not in draft.text for draft in to_greg)


def test_the_context_does_not_change_what_the_heuristic_reads() -> None:
    with_context = heuristic(history=long_history(), open_deal=ROLLOUT)

    assert with_context == heuristic()


def test_without_a_known_addressee_the_drafts_greet_the_contact_the_task_names() -> None:
    task = {"type": "task", "subject": "Email Greg the SSO checklist", "contacts": [DANA, GREG]}

    drafts = heuristic("Checklist and sandbox URL first thing tomorrow.", **task).drafts

    assert all("Greg" in draft.text and "Dana" not in draft.text for draft in drafts)


def test_a_missed_meeting_gets_no_thanks_in_any_language() -> None:
    for body in ("No-show. Waited 15 min.", "No se conectó. Esperé 15 minutos en Zoom."):
        meeting = {"type": "meeting", "subject": "Demo", "meeting_outcome": "NO_SHOW"}
        drafts = heuristic(body, owner_name="Maria Chen", **meeting).drafts

        assert not any(
            word in draft.text.lower() for draft in drafts for word in ("thank", "gracias")
        )


def test_something_sent_to_a_contact_decides_whom_the_drafts_greet() -> None:
    body = "Dana wants the security overview by Friday. Next: follow-up to Greg with the docs."

    drafts = heuristic(body, contacts=[DANA, GREG], subject="Security review").drafts

    assert all(draft.text.startswith(("Hi Greg", "Dear Greg", "Greg")) for draft in drafts)


def test_swiss_german_drafts_write_ss_for_sharp_s() -> None:
    body = "Herr Ortiz möchte das Angebot für 50 Lizenzen bis Freitag."
    payload = activity_payload(make_activity(body), NOW, False, "Europe/Zurich")

    drafts = suggestions_for(payload).drafts

    assert all("ß" not in draft.text for draft in drafts)
    assert any("Grüsse" in draft.text for draft in drafts)


def test_a_draft_names_the_due_day_on_the_accounts_calendar_not_utcs() -> None:
    """17:00 in Los Angeles is already the next day in UTC."""
    la = "America/Los_Angeles"
    payload = activity_payload(make_activity("Talked about the roadmap."), NOW, False, la)

    suggestions = suggestions_for(payload)

    due = suggestions.touch_date.recommended_due.astimezone(ZoneInfo(la))
    assert due.hour == 17
    assert all(
        f"{due:%B} {due.day}" in d.text or f"{due:%b} {due.day}" in d.text
        for d in suggestions.drafts
    )
