"""``suggest`` end to end through litellm with the local heuristic model (no mocks)."""

from __future__ import annotations

import json

import pytest

from devstack.fake_openai import FakeOpenAI, Reply
from shared.llm.client import suggest
from shared.llm.config import LLMConfig
from shared.llm.heuristic import MODEL
from tests.shared.llm.factories import NOW, make_activity


def test_suggest_returns_validated_suggestions_and_run_facts() -> None:
    run = suggest(make_activity(), LLMConfig(enable_opportunities=True), now=NOW)

    assert run.suggestions.touch_date.recommended_due.isoformat() == "2026-03-05T17:00:00+00:00"
    assert run.suggestions.opportunity is not None
    assert (run.model, run.prompt_version, run.attempts, run.repaired) == (
        MODEL,
        "suggestions-v1",
        1,
        False,
    )
    assert run.prompt_tokens > 500 and run.completion_tokens > 50
    assert run.cost_usd == 0.0  # litellm knows the local model is free


def test_log_fields_are_json_and_hold_no_secret() -> None:
    config = LLMConfig(api_key="sk-secret-value")
    run = suggest(make_activity(), config, now=NOW)

    fields = json.loads(json.dumps(run.to_log_fields()))

    assert fields["model"] == MODEL and fields["attempts"] == 1
    assert set(fields) >= {"prompt_version", "prompt_tokens", "completion_tokens", "latency_ms"}
    assert fields["touch_date_confidence"] == run.suggestions.touch_date.confidence
    assert fields["draft_confidences"] == [d.confidence for d in run.suggestions.drafts]
    assert "sk-secret-value" not in json.dumps(fields) + repr(config)


def test_simulated_latency_is_spent_per_call() -> None:
    run = suggest(make_activity(), LLMConfig(simulated_latency_ms=120), now=NOW)

    assert run.latency_ms >= 120


@pytest.mark.parametrize("status", [401, 500])
def test_a_failing_model_falls_back_to_the_next_in_the_chain(
    openai_server: FakeOpenAI, status: int
) -> None:
    openai_server.script(Reply(status=status))
    config = LLMConfig(
        model="openai/test-model",
        api_base=openai_server.api_base,
        api_key="test",
        fallbacks=(MODEL,),
        backoff_initial=0.01,
    )

    run = suggest(make_activity(), config, now=NOW)

    assert run.model == MODEL
    assert run.attempts == 2  # one pass over the chain: no backoff needed
    assert len(openai_server.requests) == 1
