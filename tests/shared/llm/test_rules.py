"""The rules checked in code, on answers written here."""

from datetime import UTC, datetime

from shared.llm.rules import Context, check
from shared.llm.schema import Draft, Suggestions, TouchDate
from tests.shared.llm.factories import NOW, make_activity

THURSDAY_5PM = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


def answer(*texts: str) -> Suggestions:
    drafts = [
        Draft(tone=tone, text=text, confidence=0.6)
        for tone, text in zip(("friendly", "formal", "concise"), texts, strict=False)
    ]
    touch = TouchDate(recommended_due=THURSDAY_5PM, confidence=0.7, rationale="Before Friday.")
    return Suggestions(drafts=drafts, touch_date=touch)


def rules_broken(suggestions: Suggestions, **activity_fields) -> list[str]:
    context = Context(make_activity(**activity_fields), NOW, UTC, "US")
    return [violation.rule for violation in check(suggestions, context)]


def test_a_good_answer_breaks_no_rule() -> None:
    good = answer("Hi Dana, pricing for 50 seats by Thursday.\nMaria", "Dear Dana, ...\nMaria Chen")

    assert rules_broken(good, owner_name="Maria Chen") == []


def test_every_draft_is_signed_by_the_rep_when_the_rep_is_known() -> None:
    unsigned = answer("Hi Dana, pricing by Thursday.", "Dear Dana, pricing attached.\nMaria Chen")

    assert rules_broken(unsigned, owner_name="Maria Chen") == ["unsigned"]
    assert rules_broken(unsigned) == []  # no owner name: nothing to sign with


def test_placeholders_of_every_bracket_style_are_caught() -> None:
    for text in ("Hi [First Name],", "Hi {{name}},", "Hi <Contact>,", "Best, YOUR NAME", "on ___"):
        assert "placeholder" in rules_broken(answer(text, "Dear Dana, fine.")), text


def test_amounts_and_discounts_must_come_from_the_activity() -> None:
    invented = answer("Hi Dana, 50 seats at $40 each.", "Dear Dana, we can offer a discount.")

    assert rules_broken(invented) == ["invented_amount", "invented_discount"]
    assert rules_broken(answer("Hi Dana, the 50 seats.", "Dear Dana, 50 seats.")) == []


def test_brackets_quoted_from_the_activity_are_no_placeholders() -> None:
    quoted = answer("Hi Dana, about “Order <PO-2231> [urgent]”.", "Dear Dana, fine.")

    assert rules_broken(quoted, subject="Order <PO-2231> [urgent]") == []
    assert rules_broken(quoted) == ["placeholder"]


DISCOUNT_CALL = (
    "Marcus reviewed the proposal (75 seats, annual) and wants the security overview by Friday.\n"
    "Internal: our floor is 12% if they sign by the 30th, Ellen has to approve anything lower."
)


def test_a_draft_must_not_repeat_the_reps_internal_remarks() -> None:
    leaked = answer(
        "Hi Marcus, our floor is 12% if they sign by the 30th.\nMaria",
        "Dear Marcus, the security overview follows by Friday.\nMaria",
    )

    assert rules_broken(leaked, body=DISCOUNT_CALL, owner_name="Maria Chen") == [
        "internal_text",
        "internal_amount",
    ]


def test_an_amount_only_the_internal_note_names_is_caught_reworded() -> None:
    reworded = answer("Hi Marcus, we could go to 12% off.\nMaria", "Dear Marcus, fine.\nMaria")

    assert "internal_amount" in rules_broken(reworded, body=DISCOUNT_CALL, owner_name="Maria")


def test_facts_outside_the_internal_remarks_are_free_to_use() -> None:
    fine = answer(
        "Hi Marcus, the security overview for the 75 seats, annual, follows by Friday.\nMaria",
        "Dear Marcus, as promised, the security overview by Friday.\nMaria",
    )

    assert rules_broken(fine, body=DISCOUNT_CALL, owner_name="Maria") == []


def test_internal_remarks_in_every_language_the_drafts_use() -> None:
    notes = {
        "Wants the DPA by Friday. Note to self: legal still has to sign off on the new template.": (
            "legal still has to sign off on the new template"
        ),
        "Quiere la propuesta el viernes. No mencionar que el módulo de nóminas sale en junio.": (
            "que el módulo de nóminas sale en junio"
        ),
        "Sie will das Angebot bis Freitag. Referenzkunde Brenner nicht erwähnen, er hat noch nicht"
        " zugestimmt.": "Referenzkunde Brenner nicht erwähnen, er hat",
        "Il veut le devis vendredi. Ne pas parler du partenariat SAP avant l'annonce officielle.": (
            "du partenariat SAP avant l'annonce officielle"
        ),
    }
    for body, internal in notes.items():
        leaked = answer(f"Hi, {internal}.\nMaria", "Hi, fine.\nMaria")
        assert rules_broken(leaked, body=body, owner_name="Maria") == ["internal_text"], body


def test_a_meetings_internal_notes_are_internal_whatever_they_say() -> None:
    body = (
        "Agenda: rollout plan\n\nInternal notes:\nAisha wants a go/no-go readout two weeks "
        "after go-live.\n\nShe worries about the Epic interface."
    )
    leaked = answer("Hi Aisha, a go/no-go readout two weeks after go-live.\nMaria", "Hi.\nMaria")

    assert rules_broken(leaked, body=body, type="meeting", owner_name="Maria") == ["internal_text"]


def test_a_customers_email_has_no_internal_part() -> None:
    email = "Internal: we need to present the pricing to our CFO before the 30th. Can you send it?"
    quoting = answer("Hi Dana, we need to present the pricing to our CFO.\nMaria", "Hi.\nMaria")

    assert rules_broken(quoting, body=email, type="email", direction="INCOMING_EMAIL") == []


def test_no_thanks_for_a_meeting_that_did_not_take_place() -> None:
    thanks = answer(
        "Hi Dana, thanks for meeting with me! Pricing by Thursday.\nMaria",
        "Dear Dana, pricing follows by Thursday.\nMaria Chen",
    )
    sorry = answer(
        "Hi Dana, sorry we missed each other. Pricing by Thursday.\nMaria",
        "Dear Dana, pricing follows by Thursday.\nMaria Chen",
    )
    meeting = {"type": "meeting", "owner_name": "Maria Chen", "occurred_at": NOW}

    assert "thanks_for_missed_meeting" in rules_broken(thanks, meeting_outcome="NO_SHOW", **meeting)
    # The rep's own words say so when HubSpot's outcome does not.
    assert "thanks_for_missed_meeting" in rules_broken(
        thanks, body="Dana never showed; waited 15 min on Zoom.", **meeting
    )
    assert rules_broken(sorry, meeting_outcome="NO_SHOW", **meeting) == []
    assert rules_broken(thanks, meeting_outcome="COMPLETED", **meeting) == []


def test_a_draft_names_only_dates_the_activity_gives_or_the_touch_date() -> None:
    fields = {"owner_name": "Maria Chen", "body": "Dana wants pricing by March 10."}
    invented = answer(
        "Hi Dana, pricing by March 10, and a call on March 24?\nMaria",
        "Dear Dana, pricing follows by March 10.\nMaria Chen",
    )
    given = answer(
        "Hi Dana, pricing by March 10.\nMaria",
        "Dear Dana, I will call on Thursday, March 5.\nMaria Chen",  # the touch date
    )
    numeric = answer("Dana, pricing by 10/03.\nMaria", "Dear Dana, by 3/10.\nMaria Chen")

    assert rules_broken(invented, **fields) == ["invented_date"]
    assert rules_broken(given, **fields) == []
    assert rules_broken(numeric, **fields) == []  # day/month or month/day, as written
