"""Which model-call failures are tried again."""

from __future__ import annotations

import litellm
import pytest

from shared.llm.client import suggest
from shared.llm.config import LLMConfig
from shared.llm.errors import is_transient
from tests.shared.llm.factories import NOW, make_activity


def test_litellms_dict_race_is_tried_again_other_runtime_errors_are_not() -> None:
    assert is_transient(RuntimeError("dictionary changed size during iteration"))
    assert not is_transient(RuntimeError("something else went wrong"))
    assert not is_transient(ValueError("dictionary changed size during iteration"))


def test_a_call_lost_to_litellms_dict_race_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    completion, raced = litellm.completion, []

    def racing_once(**arguments):
        if not raced:
            raced.append(True)
            raise RuntimeError("dictionary changed size during iteration")
        return completion(**arguments)

    monkeypatch.setattr(litellm, "completion", racing_once)

    run = suggest(make_activity(), LLMConfig(), now=NOW)

    assert raced and run.suggestions.drafts
