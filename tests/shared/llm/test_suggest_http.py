"""litellm's real HTTP path against a scripted OpenAI-compatible server on this machine."""

from __future__ import annotations

import json
import time

import litellm
import pytest

from devstack.fake_openai import USAGE, FakeOpenAI, Reply
from shared.deadline import FINISH_MARGIN_SECONDS, task_budget
from shared.llm.client import suggest
from shared.llm.config import LLMConfig
from shared.llm.errors import InvalidSuggestions, ModelRejected, ModelUnavailable
from shared.llm.heuristic import suggestions_for
from shared.llm.prompt import ACTIVITY_START, activity_payload
from tests.shared.llm.factories import NOW, make_activity

ACTIVITY = make_activity()
VALID = suggestions_for(activity_payload(ACTIVITY, NOW, include_opportunity=False))
OK = Reply(content=VALID.model_dump_json())


def config_for(server: FakeOpenAI, **fields: object) -> LLMConfig:
    defaults: dict = {
        "model": "openai/test-model",
        "api_base": server.api_base,
        "api_key": "test",
        "timeout_seconds": 5.0,
        "max_attempts": 3,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
    }
    return LLMConfig(**{**defaults, **fields})


def test_success_records_tokens_and_the_answering_model(openai_server: FakeOpenAI) -> None:
    openai_server.script(OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert run.suggestions == VALID
    assert (run.model, run.attempts, run.repaired) == ("test-model", 1, False)
    assert (run.prompt_tokens, run.completion_tokens) == (123, 45)
    assert run.cost_usd is None  # litellm has no price for test-model
    sent = openai_server.requests[0]
    assert sent["model"] == "test-model"
    assert sent["response_format"] == {"type": "json_object"}
    assert ACTIVITY_START in sent["messages"][1]["content"]
    assert openai_server.headers[0]["Authorization"] == "Bearer test"


def test_cost_comes_from_litellm_when_it_knows_the_price(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content=OK.content, model="gpt-4o-mini"))

    run = suggest(ACTIVITY, config_for(openai_server, model="openai/gpt-4o-mini"), now=NOW)

    price = litellm.model_cost["gpt-4o-mini"]
    expected = (
        USAGE["prompt_tokens"] * price["input_cost_per_token"]
        + USAGE["completion_tokens"] * price["output_cost_per_token"]
    )
    assert run.cost_usd == pytest.approx(expected)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_transient_error_is_retried(openai_server: FakeOpenAI, status: int) -> None:
    openai_server.script(Reply(status=status), OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert run.attempts == 2
    assert len(openai_server.requests) == 2
    assert run.suggestions == VALID


def test_a_persistent_500_fails_after_max_attempts(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(status=500))

    with pytest.raises(ModelUnavailable, match="3 call"):
        suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert len(openai_server.requests) == 3


def test_a_slow_provider_times_out_each_attempt(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content=OK.content, delay_seconds=30))
    started = time.monotonic()

    with pytest.raises(ModelUnavailable) as failure:
        suggest(ACTIVITY, config_for(openai_server, timeout_seconds=0.3, max_attempts=2))

    assert time.monotonic() - started < 5
    assert isinstance(failure.value.__cause__, litellm.Timeout)
    assert len(openai_server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_rejected_request_is_not_retried(openai_server: FakeOpenAI, status: int) -> None:
    openai_server.script(Reply(status=status))

    with pytest.raises(ModelRejected):
        suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert len(openai_server.requests) == 1


def test_malformed_json_gets_one_repair_call(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content='{"drafts": [oops'), OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert (run.repaired, run.attempts, run.suggestions) == (True, 2, VALID)
    assert (run.prompt_tokens, run.completion_tokens) == (246, 90)  # both calls counted
    repair = openai_server.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": '{"drafts": [oops'}
    assert "Invalid JSON" in repair[-1]["content"]


def test_output_that_breaks_the_schema_is_repaired(openai_server: FakeOpenAI) -> None:
    one_draft = VALID.model_dump(mode="json")
    one_draft["drafts"] = one_draft["drafts"][:1]
    openai_server.script(Reply(content=json.dumps(one_draft)), OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert run.repaired
    assert (
        "a follow-up needs at least 2 drafts"
        in (openai_server.requests[1]["messages"][-1]["content"])
    )


def test_a_failed_repair_raises_with_the_validation_message(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content="Sure! Here are your drafts."))

    with pytest.raises(InvalidSuggestions, match="Invalid JSON"):
        suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert len(openai_server.requests) == 2


def test_json_in_a_markdown_fence_needs_no_repair(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content=f"```json\n{OK.content}\n```"))

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert (run.repaired, run.attempts) == (False, 1)


def test_a_model_that_never_answers_ends_within_the_runs_budget(
    openai_server: FakeOpenAI,
) -> None:
    """Three attempts of 30 s each would take 90 s; the task's budget allows 3."""
    openai_server.script(Reply(delay_seconds=120))
    started = time.monotonic()

    with (
        task_budget(FINISH_MARGIN_SECONDS + 3),
        pytest.raises(ModelUnavailable, match="time budget") as failure,
    ):
        suggest(ACTIVITY, config_for(openai_server, timeout_seconds=30.0), now=NOW)

    elapsed = time.monotonic() - started
    assert 2 <= elapsed < 4, elapsed
    assert len(openai_server.requests) <= 2, failure.value


def test_the_repair_call_gets_only_what_is_left(openai_server: FakeOpenAI) -> None:
    """A first answer that fails validation leaves the repair call the rest of the budget."""
    openai_server.script(Reply(content="not json"), Reply(delay_seconds=120))
    started = time.monotonic()

    with task_budget(FINISH_MARGIN_SECONDS + 2), pytest.raises(ModelUnavailable):
        suggest(ACTIVITY, config_for(openai_server, timeout_seconds=30.0), now=NOW)

    assert time.monotonic() - started < 3


def broken(**changes: object) -> dict:
    """The valid answer with the drafts' texts or the touch date changed."""
    answer = VALID.model_dump(mode="json")
    if "text" in changes:
        answer["drafts"][0]["text"] = changes["text"]
    if "due" in changes:
        answer["touch_date"]["recommended_due"] = changes["due"]
        answer["touch_date"]["recommended_start"] = None
    return answer


def test_a_placeholder_goes_back_once_with_the_rule_it_breaks(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content=json.dumps(broken(text="Hi [First Name], ..."))), OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert (run.repaired, run.suggestions) == (True, VALID)
    repair = openai_server.requests[1]["messages"]
    assert "placeholder: draft 1 has a placeholder: '[First Name]'" in repair[-1]["content"]
    assert json.loads(repair[-2]["content"])["drafts"][0]["text"] == "Hi [First Name], ..."


def test_a_weekend_date_twice_fails_the_run_with_the_reason(openai_server: FakeOpenAI) -> None:
    saturday = json.dumps(broken(due="2030-03-09T17:00:00Z"))  # a Saturday, years away
    openai_server.script(Reply(content=saturday), Reply(content=saturday))

    with pytest.raises(InvalidSuggestions) as caught:
        suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert "due_not_business_day" in str(caught.value)
    assert "due_past_horizon" in str(caught.value)
    assert len(openai_server.requests) == 2


def test_a_model_that_follows_up_on_an_opt_out_is_sent_back_then_refused(
    openai_server: FakeOpenAI,
) -> None:
    opt_out = make_activity("Not interested. Please remove me from your mailing list.")
    ignores_it = VALID.model_dump_json()
    openai_server.script(Reply(content=ignores_it), Reply(content=ignores_it))

    with pytest.raises(InvalidSuggestions, match="follow_up_after_opt_out"):
        suggest(opt_out, config_for(openai_server), now=NOW)

    repair = openai_server.requests[1]["messages"][-1]["content"]
    assert "set follow_up to false with flag 'opt_out'" in repair


def test_prose_around_the_json_costs_no_repair(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(content=f"Here are the suggestions:\n{OK.content}\nHope it helps!"))

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert (run.repaired, run.attempts, run.suggestions) == (False, 1, VALID)


def test_length_and_temperature_are_set_and_a_schema_goes_where_it_is_enforced(
    openai_server: FakeOpenAI,
) -> None:
    openai_server.script(Reply(content=OK.content, model="gpt-4o-mini"))
    config = config_for(openai_server, model="openai/gpt-4o-mini", max_tokens=900, temperature=0.1)

    suggest(ACTIVITY, config, now=NOW)

    sent = openai_server.requests[0]
    assert (sent["max_tokens"], sent["temperature"]) == (900, 0.1)
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]["schema"]
    assert {"drafts", "touch_date", "follow_up"} <= set(schema["properties"])


def test_truncated_json_is_repaired_from_what_was_cut(openai_server: FakeOpenAI) -> None:
    cut = OK.content[: len(OK.content) // 2]
    openai_server.script(Reply(content=cut), OK)

    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert (run.repaired, run.suggestions) == (True, VALID)
    assert openai_server.requests[1]["messages"][-2]["content"] == cut


CONTEXT_ERROR = (
    "This model's maximum context length is 8192 tokens. However, your messages resulted in "
    "9000 tokens. Please reduce the length of the messages."
)


def test_a_context_window_error_falls_back_to_the_next_model(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(status=400, error=CONTEXT_ERROR), OK)
    config = config_for(openai_server, fallbacks=("openai/long-context-model",))

    run = suggest(ACTIVITY, config, now=NOW)

    assert run.suggestions == VALID
    assert [r["model"] for r in openai_server.requests] == ["test-model", "long-context-model"]


def test_a_429_waits_as_long_as_retry_after_says(openai_server: FakeOpenAI) -> None:
    openai_server.script(Reply(status=429, retry_after=0.6), OK)

    started = time.monotonic()
    run = suggest(ACTIVITY, config_for(openai_server), now=NOW)

    assert run.attempts == 2
    assert time.monotonic() - started >= 0.6  # the backoff alone would be ~0.01 s
