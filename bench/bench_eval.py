"""The suggestions' eval for the offline model: the scorecard of `hubspot-ai eval`.

Runs the real prompt, validation and repair over every labelled activity in
evals/cases.yaml with the default offline model (local/heuristic) and prints the scorecard,
then headline rows against the targets: due date in range >= 90%, 0 rule violations reaching
the store, opt-outs 100%, and the language match of the languages the offline model claims.
A real model is scored the same way: `hubspot-ai eval --model openai/gpt-4o-mini`.

Run: .venv/bin/python bench/bench_eval.py [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ as a package

from shared.evals.runner import run_eval
from shared.settings import get_settings

# The languages the offline model writes drafts in; others get English.
CLAIMED_LANGUAGES = ("en", "es", "de", "fr")


def main() -> int:
    scorecard = run_eval(get_settings().llm_config(), model="local/heuristic")
    print(scorecard.render())
    f = scorecard.figures()
    claimed = {k: v for k, v in f["language_match_by_language"].items() if k in CLAIMED_LANGUAGES}
    rows = [
        (
            "eval: due date in the accepted range",
            _percent(f["due_date_hit_rate"]),
            ">= 90%",
            (f["due_date_hit_rate"] or 0) >= 0.9,
        ),
        (
            "eval: rule violations reaching the store",
            str(f["rule_violations"]),
            "0",
            f["rule_violations"] == 0,
        ),
        (
            "eval: opt-outs and threats respected",
            _percent(f["opt_outs_respected"]),
            "100%",
            f["opt_outs_respected"] == 1.0,
        ),
        (
            "eval: drafts in the contact's language (en, es, de, fr)",
            ", ".join(f"{k} {_percent(v)}" for k, v in claimed.items()),
            "100% each",
            all(v == 1.0 for v in claimed.values()),
        ),
        ("eval: required facts mentioned", _percent(f["facts_mentioned"]), "-", None),
    ]
    for name, value, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(f"SUMMARY | {name} | {value} | {target} | {verdict} |")
    print("Reproduce: .venv/bin/hubspot-ai eval  (or --json; --model M for any litellm model)")
    return 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


if __name__ == "__main__":
    sys.exit(main())
