"""Completion calls for one run: the model chain, the retry policy and what they cost.

This is the one layer that retries an LLM call: litellm's and the OpenAI SDK's retries
are switched off (``num_retries=0``, ``max_retries=0``). Transient errors are retried
with exponential backoff and jitter, up to ``max_attempts`` passes over the chain; any
other error fails at once. Inside a task every call's timeout and every pause is cut to
what the task's time budget has left (``shared.deadline``), the repair call included, so a
model that never answers ends the run in time. Fallback models are tried here, in order,
within each pass: litellm's own ``fallbacks=`` reraises every failure as a bare Exception,
which would make a 401 indistinguishable from a 429. A model that fails for good drops out
of the chain.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import litellm
import structlog
from litellm.types.utils import ModelResponse
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from shared.deadline import OutOfTime, call_timeout, wait_within
from shared.llm.budget import Reservation, SharedLLMBudget
from shared.llm.config import LLMConfig
from shared.llm.errors import (
    ModelRejected,
    ModelUnavailable,
    describe,
    is_transient,
    retry_after_seconds,
)
from shared.llm.heuristic import PROVIDER as LOCAL_PROVIDER
from shared.llm.schema import Suggestions

log = structlog.get_logger(__name__)
# litellm print()s a "Give Feedback / Get Help" banner to stdout on every failed call, which
# would break JSON log lines; the failure itself is logged below.
litellm.suppress_debug_info = True
# litellm logs every call at INFO under its own logger; our run lines already say what ran.
logging.getLogger("LiteLLM").setLevel(logging.WARNING)
JSON_OUTPUT = {"type": "json_object"}
# Reserved for an answer before it is known (three drafts and the dates are about this long);
# the reservation is set to the tokens actually used once the answer is in.
TYPICAL_ANSWER_TOKENS = 500


class ModelCaller:
    """Makes the completion calls of one run and adds up calls, tokens and cost. With a
    shared budget, each call to a provider first takes its room in the fleet's budget."""

    def __init__(self, config: LLMConfig, budget: SharedLLMBudget | None = None) -> None:
        self.config = config
        self.budget = budget
        self.chain = list(config.models)
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cost_usd: float | None = 0.0  # None once any call's price is unknown

    def complete(self, messages: list[dict[str, str]]) -> ModelResponse:
        """One answer from the first model in the chain that gives one, with retries."""
        config = self.config
        # tenacity's default jitter is a whole second; keep it to the scale of the backoff.
        backoff = wait_exponential_jitter(
            multiplier=config.backoff_initial, max=config.backoff_max, jitter=config.backoff_initial
        )
        retrying = Retrying(
            stop=stop_after_attempt(config.max_attempts),
            # The provider's Retry-After, when it sends one, over our own backoff.
            wait=lambda state: wait_within(max(backoff(state), _asked_wait(state))),
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._through_chain(messages)
        except OutOfTime as exc:
            raise ModelUnavailable(
                f"no answer within the run's time budget after {self.calls} call(s): {exc}"
            ) from exc
        except Exception as exc:
            error = ModelUnavailable if is_transient(exc) else ModelRejected
            raise error(f"no answer after {self.calls} call(s): {describe(exc)}") from exc
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _through_chain(self, messages: list[dict[str, str]]) -> ModelResponse:
        errors: list[Exception] = []
        for model in list(self.chain):
            try:
                return self._call(model, messages)
            except OutOfTime:
                raise
            except Exception as exc:
                log.warning("llm_call_failed", model=model, call=self.calls, error=describe(exc))
                errors.append(exc)
                if not is_transient(exc) and len(self.chain) > 1:
                    self.chain.remove(model)
        # A transient error, if any, decides: the chain is retried while a model might recover.
        raise ([e for e in errors if is_transient(e)] or errors)[-1]

    def _call(self, model: str, messages: list[dict[str, str]]) -> ModelResponse:
        arguments = self._arguments(model, messages)  # raises OutOfTime before any call
        reservation = self._reserve(model, messages)
        self.calls += 1
        response: ModelResponse = litellm.completion(**arguments)  # not streamed
        usage = getattr(response, "usage", None)
        prompt = getattr(usage, "prompt_tokens", 0) or 0
        completion = getattr(usage, "completion_tokens", 0) or 0
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        if reservation is not None and self.budget is not None:
            self.budget.settle(reservation, prompt + completion or reservation.tokens)
        self._add_cost(response)
        return response

    def _reserve(self, model: str, messages: list[dict[str, str]]) -> Reservation | None:
        """Room in the shared budget for one call: its prompt and a typical answer.

        A call waits up to one window of the budget: once a burst has filled it, room comes
        back only as the burst's first calls leave it, a whole window later at worst. Only
        the task's time left (``wait_within``) cuts that short.
        """
        if self.budget is None or _provider(model) == LOCAL_PROVIDER:
            return None
        try:
            prompt = litellm.token_counter(model=model, messages=messages)
        except Exception:  # a tokenizer litellm does not have: the usual rule of thumb
            prompt = sum(len(m["content"]) for m in messages) // 4
        expected = prompt + min(self.config.max_tokens, TYPICAL_ANSWER_TOKENS)
        return self.budget.acquire(expected, wait_within(self.budget.window_seconds))

    def _arguments(self, model: str, messages: list[dict[str, str]]) -> dict[str, Any]:
        config = self.config
        arguments: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "timeout": call_timeout(config.timeout_seconds),
            "num_retries": 0,
            "max_retries": 0,
        }
        if _provider(model) == _provider(config.model):  # credentials go to their provider only
            arguments |= {"api_base": config.api_base, "api_key": config.api_key}
        if _provider(model) == LOCAL_PROVIDER:
            arguments["metadata"] = {"simulated_latency_ms": config.simulated_latency_ms}
            return arguments
        arguments |= {"max_tokens": config.max_tokens, "temperature": config.temperature}
        output = _output_format(model)
        if output is not None:
            arguments["response_format"] = output
        return arguments

    def _add_cost(self, response: ModelResponse) -> None:
        try:
            cost = float(litellm.completion_cost(completion_response=response))
        except Exception:  # litellm has no price for this model: unknown, not free
            cost = None
        self.cost_usd = None if cost is None or self.cost_usd is None else self.cost_usd + cost


def _asked_wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    return retry_after_seconds(exc) if exc else 0.0


def _provider(model: str) -> str:
    return model.split("/", 1)[0] if "/" in model else ""


def _output_format(model: str) -> dict[str, Any] | None:
    """A JSON schema where litellm says the provider enforces one, JSON mode where it takes
    only that, nothing where it takes neither (the prompt still asks for the JSON)."""
    try:
        name, provider, _key, _base = litellm.get_llm_provider(model)
        params = litellm.get_supported_openai_params(model=name, custom_llm_provider=provider)
        with_schema = litellm.supports_response_schema(model=name, custom_llm_provider=provider)
    except Exception:  # an unknown provider: send nothing it might reject
        return None
    if "response_format" not in (params or []):
        return None
    return _json_schema_output() if with_schema else JSON_OUTPUT


@cache
def _json_schema_output() -> dict[str, Any]:
    # Not "strict": OpenAI's strict mode needs every field required and no defaults.
    schema = {"name": "suggestions", "schema": Suggestions.model_json_schema(), "strict": False}
    return {"type": "json_schema", "json_schema": schema}
