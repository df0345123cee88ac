"""``suggest``: one activity in, validated suggestions out, with what it took to get them.

One completion per activity. Output that fails validation, or breaks one of the rules
checked in code (``rules``), gets one repair call (the errors and a compact form of the
answer go back to the model); if that fails too the run fails with ``InvalidSuggestions``.
Retries and fallbacks are ``transport``'s business.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from pydantic import ValidationError

from shared.hubspot.models import Activity
from shared.llm.budget import SharedLLMBudget
from shared.llm.config import LLMConfig
from shared.llm.dates import country_of_zone
from shared.llm.errors import InvalidSuggestions
from shared.llm.heuristic import register
from shared.llm.prompt import PROMPT_VERSION, render_messages, render_repair
from shared.llm.rules import Context, check
from shared.llm.schema import Suggestions
from shared.llm.transport import ModelCaller

log = structlog.get_logger(__name__)
# A broken answer repeated to the model in the repair turn is cut to this: the errors say
# what to fix, and a truncated answer costs no more than the errors need.
MAX_REPEATED_ANSWER_CHARS = 4000
# Models often wrap JSON in a Markdown fence despite being asked not to; that is no error.
_FENCE = re.compile(r"```(?:json)?\s*(?P<body>\{.*?\})\s*```", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class SuggestionRun:
    """The suggestions and how they were made: model, prompt, tokens, cost, time, calls."""

    suggestions: Suggestions
    model: str  # the model that answered, as the response names it
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None  # None when litellm has no price for the model
    latency_ms: int
    attempts: int  # completion calls made, including retries, fallbacks and the repair
    repaired: bool

    def to_log_fields(self) -> dict[str, Any]:
        """JSON-ready facts about the run for the processing log: no texts, no key."""
        return {
            "touch_date_confidence": (
                self.suggestions.touch_date.confidence if self.suggestions.touch_date else None
            ),
            "draft_confidences": [draft.confidence for draft in self.suggestions.drafts],
            "model": self.model,
            "prompt_version": self.prompt_version,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "latency_ms": self.latency_ms,
            "attempts": self.attempts,
            "repaired": self.repaired,
        }


def suggest(
    activity: Activity,
    config: LLMConfig,
    now: datetime | None = None,
    time_zone: str = "UTC",
    budget: SharedLLMBudget | None = None,
    voice_examples: Sequence[str] = (),
) -> SuggestionRun:
    """Drafts and a touch date for ``activity``; raises a ``SuggestionError`` when none.

    ``time_zone`` is the HubSpot account's: what "tomorrow" and business days mean.
    ``budget``: the fleet's shared requests and tokens per minute for the provider.
    ``voice_examples``: the rep's edited drafts, newest first, for the prompt.
    """
    register()
    started = time.perf_counter()
    caller = ModelCaller(config, budget)
    now = now or datetime.now(UTC)
    context = Context(activity, now, ZoneInfo(time_zone), country_of_zone(time_zone))
    messages = render_messages(
        activity, now, config.enable_opportunities, time_zone, voice_examples
    )
    response, suggestions, repaired = _answer(caller, messages, context)
    return SuggestionRun(
        suggestions=suggestions,
        model=str(response.model or config.model),
        prompt_version=PROMPT_VERSION,
        prompt_tokens=caller.prompt_tokens,
        completion_tokens=caller.completion_tokens,
        cost_usd=caller.cost_usd,
        latency_ms=round((time.perf_counter() - started) * 1000),
        attempts=caller.calls,
        repaired=repaired,
    )


def _answer(
    caller: ModelCaller, messages: list[dict[str, str]], context: Context
) -> tuple[Any, Suggestions, bool]:
    """The answering response and its suggestions, and whether it took a repair call.

    An answer that does not parse or breaks a rule goes back once, with only the errors and
    a compact form of the answer; a second bad answer fails the run with the reasons.
    """
    response = caller.complete(messages)
    suggestions, errors = _checked(_content(response), context)
    if suggestions is not None and not errors:
        return response, suggestions, False
    log.warning("llm_output_invalid", model=str(response.model), errors=errors)
    compact = _compact(_content(response), suggestions)
    response = caller.complete(messages + render_repair(compact, errors))
    suggestions, errors = _checked(_content(response), context)
    if suggestions is None or errors:
        raise InvalidSuggestions(
            f"invalid suggestions after a repair attempt ({caller.calls} calls): {errors}"
        )
    return response, suggestions, True


def _checked(content: str, context: Context) -> tuple[Suggestions | None, str]:
    """The parsed answer (None when it does not parse) and what is wrong with it."""
    try:
        suggestions = parse_suggestions(content)
    except ValidationError as exc:
        return None, _errors(exc)
    violations = check(suggestions, context)
    return suggestions, "\n".join(f"- {v.rule}: {v.message}" for v in violations)


def _compact(content: str, suggestions: Suggestions | None) -> str:
    """The answer as the repair turn repeats it: re-serialised when it parsed, else cut."""
    if suggestions is not None:
        return suggestions.model_dump_json(exclude_none=True)
    return content[:MAX_REPEATED_ANSWER_CHARS]


def parse_suggestions(content: str) -> Suggestions:
    """Validate a model's answer; raises pydantic's ValidationError (bad JSON included).

    Models often wrap the JSON in a Markdown fence or a sentence of prose despite being
    asked not to; the JSON object inside is the answer, and no repair call is spent on it.
    """
    text = content.strip()
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced["body"]
    elif not text.startswith("{") and "{" in text and "}" in text:
        text = text[text.index("{") : text.rindex("}") + 1]
    return Suggestions.model_validate_json(text)


def _content(response: Any) -> str:
    choices = getattr(response, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    return getattr(message, "content", None) or ""


def _errors(exc: ValidationError) -> str:
    """The validation errors, one per line, without echoing the (possibly long) input."""
    return "\n".join(
        f"- {'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}"
        for error in exc.errors(include_url=False)
    )
