"""One case's suggestions held against its labels, as a demanding rep would check them."""

from __future__ import annotations

from dataclasses import dataclass

from shared.evals.cases import Alternatives, EvalCase
from shared.llm.client import SuggestionRun
from shared.llm.language import detect_language
from shared.llm.rules import Context, check, folded


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    type: str
    language: str
    expects_follow_up: bool
    flag_expected: str | None = None
    error: str | None = None  # the run failed: no suggestions at all
    due_hit: bool = False
    due_given: str | None = None  # the due date, in the account's calendar
    due_confidence: float | None = None  # the model's confidence in that date
    violations: tuple[str, ...] = ()
    facts_expected: int = 0
    facts_found: float = 0.0  # averaged over the drafts
    forbidden_mentions: int = 0  # must-not-mention items found, over all drafts
    flag_given: str | None = None
    drafts: int = 0
    drafts_in_language: int = 0
    drafts_language_unknown: int = 0
    repaired: bool = False
    latency_ms: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None

    @property
    def follow_up_respected(self) -> bool:
        """For a case that wants no follow-up: nothing to send, no date, and the flag the
        case expects (an opt-out or a threat; none for a contact who is simply gone)."""
        return (
            self.error is None
            and self.drafts == 0
            and self.due_given is None
            and self.flag_given == self.flag_expected
        )


def failed(case: EvalCase, error: Exception) -> CaseResult:
    return CaseResult(
        case.id,
        case.type,
        case.language,
        case.expect.follow_up,
        case.expect.flag,
        error=f"{type(error).__name__}: {str(error)[:300]}",
        facts_expected=len(case.expect.must_mention),
    )


def score(case: EvalCase, run: SuggestionRun) -> CaseResult:
    suggestions = run.suggestions
    expect = case.expect
    context = Context(case.activity(), case.now, case.zone, case.account.country)
    touch = suggestions.touch_date
    due = touch.recommended_due.astimezone(case.zone).date() if touch else None
    due_hit = (
        due is not None
        and expect.due is not None
        and expect.due.earliest <= due <= expect.due.latest
        and (expect.not_before is None or due >= expect.not_before)
    )
    texts = [draft.text for draft in suggestions.drafts]
    languages = [detect_language(text) for text in texts]
    return CaseResult(
        case.id,
        case.type,
        case.language,
        expect.follow_up,
        expect.flag,
        due_hit=due_hit,
        due_given=due.isoformat() if due else None,
        due_confidence=touch.confidence if touch else None,
        flag_given=suggestions.flag,
        violations=tuple(violation.rule for violation in check(suggestions, context)),
        facts_expected=len(expect.must_mention),
        facts_found=_mean([_found(text, expect.must_mention) for text in texts]),
        forbidden_mentions=sum(_found(text, expect.must_not_mention) for text in texts),
        drafts=len(texts),
        drafts_in_language=sum(language == case.language for language in languages),
        drafts_language_unknown=sum(language is None for language in languages),
        repaired=run.repaired,
        latency_ms=run.latency_ms,
        prompt_tokens=run.prompt_tokens,
        completion_tokens=run.completion_tokens,
        cost_usd=run.cost_usd,
    )


def _found(text: str, groups: list[Alternatives]) -> int:
    """How many of the groups have one of their spellings in ``text``."""
    return sum(any(_spelled_in(spelling, text) for spelling in group) for group in groups)


def _spelled_in(spelling: str, text: str) -> bool:
    """Case and accents aside; a spelling that folding would rewrite ("ß" is "ss" folded) is
    looked for as written, or "ß" would be found in every "ss"."""
    if len(folded(spelling)) != len(spelling):
        return spelling.lower() in text.lower()
    return folded(spelling) in folded(text)


def _mean(values: list[int]) -> float:
    return sum(values) / len(values) if values else 0.0
