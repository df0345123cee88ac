"""What the structured output accepts and rejects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from shared.llm.schema import Draft, Suggestions, TouchDate

DUE = datetime(2026, 3, 5, 17, tzinfo=UTC)


def touch(**fields: object) -> dict:
    return {"recommended_due": DUE, "confidence": 0.7, "rationale": "Asked for Thursday.", **fields}


def drafts(*texts: str) -> list[dict]:
    return [{"tone": f"tone{i}", "text": text, "confidence": 0.5} for i, text in enumerate(texts)]


def test_datetimes_become_utc_and_naive_ones_are_read_as_utc() -> None:
    paris = timezone(timedelta(hours=1))
    parsed = TouchDate.model_validate(
        touch(recommended_start="2026-03-05T10:00:00+01:00", recommended_due="2026-03-05T17:00:00")
    )

    assert parsed.recommended_start == datetime(2026, 3, 5, 10, tzinfo=paris)
    assert parsed.recommended_start.tzinfo == UTC
    assert parsed.recommended_due == DUE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"recommended_start": DUE + timedelta(hours=1)}, "must not be after"),
        ({"confidence": 1.5}, "less than or equal to 1"),
        ({"rationale": "   "}, "at least 1 character"),
        ({"rationale": "x" * 301}, "at most 300 characters"),
    ],
)
def test_touch_date_rules(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TouchDate.model_validate(touch(**fields))


def test_drafts_need_text_and_a_confidence_in_range() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        Draft(tone="friendly", text=" ", confidence=0.5)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        Draft(tone="friendly", text="Hi", confidence=-0.1)


def test_suggestions_need_two_different_drafts() -> None:
    with pytest.raises(ValidationError, match="at least 2 drafts"):
        Suggestions.model_validate({"drafts": drafts("Hi"), "touch_date": touch()})
    with pytest.raises(ValidationError, match="different texts"):
        Suggestions.model_validate({"drafts": drafts("Hi", "Hi"), "touch_date": touch()})

    ok = Suggestions.model_validate({"drafts": drafts("Hi", "Hello"), "touch_date": touch()})
    assert ok.opportunity is None


def test_opportunity_status_is_one_of_three() -> None:
    data = {"drafts": drafts("Hi", "Hello"), "touch_date": touch()}
    with pytest.raises(ValidationError, match="'open', 'won' or 'lost'"):
        Suggestions.model_validate({**data, "opportunity": {"probability": 0.5, "status": "maybe"}})


def test_no_follow_up_means_no_drafts_no_date_and_a_reason_for_the_rep() -> None:
    reason = "Dana asked to be removed from the mailing list."
    quiet = Suggestions.model_validate(
        {"follow_up": False, "flag": "opt_out", "flag_reason": reason}
    )
    assert (quiet.drafts, quiet.touch_date) == ([], None)

    with pytest.raises(ValidationError, match="no drafts and no touch_date"):
        Suggestions.model_validate(
            {"follow_up": False, "flag": "opt_out", "flag_reason": reason, "touch_date": touch()}
        )
    with pytest.raises(ValidationError, match=r"\(hostile\) still gets a follow-up"):
        Suggestions.model_validate({"follow_up": False, "flag": "hostile", "flag_reason": reason})
    with pytest.raises(ValidationError, match="needs a flag_reason"):
        Suggestions.model_validate({"follow_up": False})
    gone = Suggestions.model_validate(
        {"follow_up": False, "flag_reason": "Steve has left the company; his mail bounces."}
    )
    assert gone.flag is None
    with pytest.raises(ValidationError, match="needs a flag_reason"):
        Suggestions.model_validate({"follow_up": False, "flag": "legal"})


def test_an_angry_customer_is_flagged_and_still_gets_drafts() -> None:
    data = {"drafts": drafts("Sorry", "Apologies"), "touch_date": touch(), "flag": "hostile"}
    with pytest.raises(ValidationError, match="needs a flag_reason"):
        Suggestions.model_validate(data)

    angry = Suggestions.model_validate({**data, "flag_reason": "Outage for two days."})
    assert angry.follow_up and angry.flag == "hostile"
