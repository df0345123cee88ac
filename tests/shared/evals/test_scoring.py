"""The eval's scoring on answers written here, so every number it reports is checked."""

import dataclasses
from datetime import UTC, datetime

import pytest
import yaml

from shared.evals.cases import EvalCase, load_cases
from shared.evals.scorecard import Scorecard
from shared.evals.scoring import score
from shared.llm.client import SuggestionRun
from shared.llm.schema import Draft, Suggestions, TouchDate

CASE = {
    "id": "call-en-pricing",
    "type": "call",
    "language": "en",
    "account": {"time_zone": "America/New_York", "country": "US"},
    "logged_at": "2026-03-04T10:05:00",
    "owner": {"first_name": "Maria", "last_name": "Chen"},
    "contacts": [{"first_name": "Dana", "last_name": "Ortiz", "company": "Acme Corp"}],
    "subject": "Call with Dana Ortiz",
    "body": "Dana wants pricing for 50 seats before Friday's budget review.",
    "direction": "OUTBOUND",
    "expect": {
        "due": {"earliest": "2026-03-05", "latest": "2026-03-05"},
        "must_mention": [["pricing", "price"], ["50 seats", "fifty seats"]],
        "must_not_mention": [["discount"]],
    },
}


def case(**changes) -> EvalCase:
    return EvalCase.model_validate({**CASE, **changes})


def run(
    texts: list[str],
    due: datetime,
    tones: tuple[str, ...] = ("friendly", "formal"),
    confidence: float = 0.7,
):
    drafts = [
        Draft(tone=tone, text=text, confidence=0.5) for tone, text in zip(tones, texts, strict=True)
    ]
    touch = TouchDate(recommended_due=due, confidence=confidence, rationale="Before Friday.")
    suggestions = Suggestions(drafts=drafts, touch_date=touch)
    return SuggestionRun(suggestions, "m", "p", 100, 50, None, 12, 1, False)


THURSDAY_5PM_NY = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
GOOD = "Hi Dana, here is the pricing for 50 seats ahead of Friday's review. Best, Maria"
PARTIAL = "Hi Dana, following up on our call about pricing. Best regards, Maria"


def test_a_good_answer_scores_full_marks():
    result = score(case(), run([GOOD, GOOD.replace("Hi", "Hello")], THURSDAY_5PM_NY))

    assert result.due_hit and result.due_given == "2026-03-05"
    assert result.violations == ()
    assert (result.facts_found, result.facts_expected) == (2, 2)
    assert result.forbidden_mentions == 0
    assert result.drafts_in_language == 2


def test_misses_are_counted_where_they_happen():
    saturday = datetime(2026, 3, 7, 22, 0, tzinfo=UTC)
    texts = [PARTIAL, "Hola Dana, te envío el precio con un descuento del 10% para 50 asientos."]

    result = score(case(), run(texts, saturday, tones=("friendly", "Friendly")))

    assert not result.due_hit and result.due_given == "2026-03-07"
    assert set(result.violations) >= {
        "due_not_business_day",
        "same_tone",
        "invented_amount",
        "invented_discount",
    }
    assert result.facts_found == 0.5  # "pricing" in the first draft, nothing in the Spanish one
    assert result.drafts_in_language == 1


def test_a_forbidden_sharp_s_is_not_found_in_every_double_s():
    swiss = case(expect={**CASE["expect"], "must_not_mention": [["ß"]]})
    grüsse = "Hi Dana, pricing for 50 seats by Friday. Freundliche Grüsse, Maria"

    other = grüsse.replace("Hi", "Hello")
    assert score(swiss, run([grüsse, other], THURSDAY_5PM_NY)).forbidden_mentions == 0
    assert (
        score(swiss, run([grüsse.replace("ss", "ß"), other], THURSDAY_5PM_NY)).forbidden_mentions
        == 1
    )


def test_an_opt_out_is_respected_only_without_drafts_or_date():
    quiet = case(expect={"follow_up": False, "flag": "opt_out"})

    result = score(quiet, run([GOOD, PARTIAL], THURSDAY_5PM_NY))

    assert not result.follow_up_respected


def test_the_scorecard_adds_the_results_up():
    results = [
        score(case(), run([GOOD, GOOD.replace("Hi", "Hello")], THURSDAY_5PM_NY)),
        score(case(id="b"), run([PARTIAL, GOOD], datetime(2026, 3, 9, 22, tzinfo=UTC))),
    ]

    figures = Scorecard("m", results).figures()

    assert figures["due_date_hit_rate"] == 0.5
    assert figures["facts_mentioned"] == 0.875  # (2 + (1 + 2) / 2) of 4
    assert figures["language_match"] == 1.0
    assert "| due date in the accepted range | 50% |" in Scorecard("m", results).render()


def test_the_scorecard_says_whether_confidence_is_higher_when_the_date_is_right():
    monday = datetime(2026, 3, 9, 22, tzinfo=UTC)
    results = [
        score(case(), run([GOOD, PARTIAL], THURSDAY_5PM_NY, confidence=0.5)),
        score(case(id="b"), run([GOOD, PARTIAL], THURSDAY_5PM_NY, confidence=0.3)),
        score(case(id="c"), run([GOOD, PARTIAL], monday, confidence=0.2)),
    ]

    figures = Scorecard("m", results).figures()

    assert (figures["due_confidence_in_range"], figures["due_confidence_out_of_range"]) == (
        0.4,
        0.2,
    )
    assert "mean confidence, in range / out of range | 0.40 / 0.20 |" in (
        Scorecard("m", results).render()
    )


def test_cases_are_loaded_and_checked(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump([CASE, {**CASE, "id": "other"}]))
    assert [c.id for c in load_cases(path)] == ["call-en-pricing", "other"]

    path.write_text(yaml.safe_dump([CASE, CASE]))
    with pytest.raises(ValueError, match="used twice"):
        load_cases(path)
    path.write_text(yaml.safe_dump([{**CASE, "expect": {"follow_up": True}}]))
    with pytest.raises(ValueError, match="needs a due range"):
        load_cases(path)


def test_latency_percentiles_are_nearest_rank():
    results = [score(case(id=str(n)), run([GOOD, PARTIAL], THURSDAY_5PM_NY)) for n in range(20)]
    results = [dataclasses.replace(r, latency_ms=n) for n, r in enumerate(results, 1)]

    figures = Scorecard("m", results).figures()

    assert (figures["latency_ms_p50"], figures["latency_ms_p95"]) == (10.5, 19)


def quiet_run(flag: str | None) -> SuggestionRun:
    answer = Suggestions(follow_up=False, flag=flag, flag_reason="The contact opted out.")
    return SuggestionRun(answer, "m", "p", 100, 10, None, 3, 1, False)


def test_an_opt_out_is_respected_with_nothing_sent_and_the_flag_the_case_expects():
    opt_out = case(expect={"follow_up": False, "flag": "opt_out"})
    gone = case(expect={"follow_up": False, "flag": None})

    assert score(opt_out, quiet_run("opt_out")).follow_up_respected
    assert not score(opt_out, quiet_run("legal")).follow_up_respected
    assert score(gone, quiet_run(None)).follow_up_respected
    assert not score(gone, quiet_run("opt_out")).follow_up_respected
