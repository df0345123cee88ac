"""``local/heuristic``: an offline, deterministic model behind litellm's custom-provider API.

It reads the activity block out of the rendered prompt (the prompt a real model gets),
finds dates, asks and buying signals with rules, and answers with the Suggestions JSON,
so the whole pipeline runs with no network and no key. Call ``register()`` before
``litellm.completion(model="local/heuristic", ...)``; ``suggest`` does.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import litellm
from litellm.llms.custom_llm import CustomLLM, CustomLLMError
from litellm.types.utils import ModelResponse, Usage

from shared.llm.attention import attention, housekeeping
from shared.llm.dates import country_of_zone
from shared.llm.drafts import compose_drafts
from shared.llm.internal import shareable_text
from shared.llm.prompt import activity_from_payload, read_activity_block
from shared.llm.schema import Suggestions
from shared.llm.signals import opportunity_signal
from shared.llm.touch import plan_touch

PROVIDER = "local"
MODEL = f"{PROVIDER}/heuristic"
CHARS_PER_TOKEN = 4  # the usual rule of thumb for English text and BPE tokenizers
# Known to litellm as free, so completion_cost() reports 0.0 rather than "unknown model".
_PRICE = {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "mode": "chat"}
_FREE_CACHE = {"cache_creation_input_token_cost": 0.0, "cache_read_input_token_cost": 0.0}
_registering = threading.Lock()
# The offline model reads text with rules, not understanding: the confidences of its best
# reading (an explicit deadline, a named ask) are scaled to this, and a cadence or a
# template lands far below it. It never claims what a model that read the text could.
OFFLINE_CEILING = 0.6


def suggestions_for(payload: dict[str, Any]) -> Suggestions:
    """What the heuristic model answers for one activity payload (see ``prompt``)."""
    activity = activity_from_payload(payload)
    text = f"{activity.subject}\n{activity.body}"
    flagged = attention(text) or housekeeping(activity)
    if flagged is not None and flagged.rules_out_follow_up:
        return Suggestions(follow_up=False, flag=flagged.flag, flag_reason=flagged.reason)
    now, zone_name = datetime.fromisoformat(payload["today"]), payload.get("time_zone") or "UTC"
    country = country_of_zone(zone_name)
    zone = ZoneInfo(zone_name)
    touch, mention = plan_touch(activity, now, zone, country)
    # Drafts are built from what the customer may read: a date or an ask that only the rep's
    # internal remarks give is not theirs to be promised.
    shareable = activity.model_copy(update={"body": shareable_text(activity)})
    readable = f"{shareable.subject}\n{shareable.body}"
    phrase = mention.phrase if mention and mention.phrase in readable else None
    # The touch date is kept in UTC; a draft names the day on the account's calendar.
    local_due = touch.recommended_due.astimezone(zone)
    drafts = compose_drafts(shareable, local_due, phrase, now, country)
    opportunity = opportunity_signal(text) if payload.get("include_opportunity") else None
    return Suggestions(
        drafts=[
            draft.model_copy(update={"confidence": _offline(draft.confidence)}) for draft in drafts
        ],
        touch_date=touch.model_copy(update={"confidence": _offline(touch.confidence)}),
        opportunity=opportunity,
        flag=flagged.flag if flagged else None,
        flag_reason=flagged.reason if flagged else None,
    )


class HeuristicLLM(CustomLLM):
    """The custom handler litellm calls for ``local/...`` models."""

    def completion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        time.sleep(_latency_seconds(kwargs))
        return _respond(kwargs["messages"], kwargs["model_response"])

    async def acompletion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        await asyncio.sleep(_latency_seconds(kwargs))
        return _respond(kwargs["messages"], kwargs["model_response"])


def register() -> None:
    """Make ``local/heuristic`` callable through litellm; safe to call any number of times."""
    with _registering:
        if any(item["provider"] == PROVIDER for item in litellm.custom_provider_map):
            return
        litellm.custom_provider_map.append({"provider": PROVIDER, "custom_handler": HeuristicLLM()})
        # litellm adds custom providers to its provider list at the next call; pricing the
        # model needs the provider known now.
        litellm.utils.custom_llm_setup()
        litellm.register_model({MODEL: {**_PRICE, **_FREE_CACHE, "litellm_provider": PROVIDER}})


def _offline(confidence: float) -> float:
    """A reading's confidence (0 to 1) as the offline model may claim it."""
    return round(min(confidence, 1.0) * OFFLINE_CEILING, 3)


def estimate_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_TOKEN))


def _respond(messages: list[dict[str, Any]], response: ModelResponse) -> ModelResponse:
    prompt = "\n".join(_text(message.get("content")) for message in messages)
    payload = read_activity_block(prompt)
    if payload is None:
        raise CustomLLMError(status_code=400, message="the prompt has no activity block")
    content = suggestions_for(payload).model_dump_json()
    response.choices[0].message.content = content
    response.model = MODEL
    prompt_tokens, completion_tokens = estimate_tokens(prompt), estimate_tokens(content)
    usage = Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens,
    )
    response.usage = usage  # type: ignore[attr-defined]
    return response


def _text(content: Any) -> str:
    """Message content as text: a string, or the text parts of a list of parts."""
    if isinstance(content, list):
        return "\n".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def _latency_seconds(kwargs: dict[str, Any]) -> float:
    metadata = (kwargs.get("litellm_params") or {}).get("metadata") or {}
    return max(0, int(metadata.get("simulated_latency_ms", 0))) / 1000
