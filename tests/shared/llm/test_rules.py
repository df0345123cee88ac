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
