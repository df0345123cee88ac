"""Runs the real prompt, validation and repair over the labelled cases for one model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from shared.evals.cases import EvalCase, load_cases
from shared.evals.scorecard import Scorecard
from shared.evals.scoring import CaseResult, failed, score
from shared.llm.client import suggest
from shared.llm.config import LLMConfig
from shared.llm.errors import SuggestionError
from shared.settings import PROJECT_ROOT

DEFAULT_CASES = PROJECT_ROOT / "evals" / "cases.yaml"


def run_case(case: EvalCase, config: LLMConfig) -> CaseResult:
    try:
        run = suggest(case.activity(), config, now=case.now, time_zone=case.account.time_zone)
    except SuggestionError as exc:
        return failed(case, exc)
    return score(case, run)


def run_eval(
    config: LLMConfig, cases_path: Path | None = None, model: str | None = None
) -> Scorecard:
    """The scorecard of ``model`` (or the configured one) over ``cases_path``'s cases (the
    repository's set by default)."""
    if model:
        config = replace(config, model=model, fallbacks=())
    cases = load_cases(cases_path or DEFAULT_CASES)
    return Scorecard(config.model, [run_case(case, config) for case in cases])
