"""The eval's scorecard: every case's result added up into the numbers a team decides on."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from shared.evals.scoring import CaseResult


@dataclass(frozen=True)
class Scorecard:
    model: str
    results: list[CaseResult]

    def figures(self) -> dict[str, Any]:
        """Everything the scorecard shows, as JSON-ready values."""
        results = self.results
        answered = [r for r in results if r.error is None]
        following = [r for r in results if r.expects_follow_up]
        quiet = [r for r in results if not r.expects_follow_up]
        drafts = sum(r.drafts for r in answered)
        by_language: dict[str, dict[str, int]] = {}
        for r in answered:
            entry = by_language.setdefault(r.language, {"drafts": 0, "matching": 0})
            entry["drafts"] += r.drafts
            entry["matching"] += r.drafts_in_language
        violations = Counter(rule for r in answered for rule in r.violations)
        latencies = sorted(r.latency_ms for r in answered)
        costs = [r.cost_usd for r in answered if r.cost_usd is not None]
        return {
            "model": self.model,
            "cases": len(results),
            "answered": len(answered),
            "failed": len(results) - len(answered),
            "repaired": sum(r.repaired for r in answered),
            "due_date_hit_rate": _share(sum(r.due_hit for r in following), len(following)),
            # Confidence that means something is higher when the date is right.
            "due_confidence_in_range": _mean_confidence(following, hit=True),
            "due_confidence_out_of_range": _mean_confidence(following, hit=False),
            "rule_violations": sum(violations.values()),
            "cases_with_violations": sum(bool(r.violations) for r in answered),
            "violations_by_rule": dict(violations.most_common()),
            "facts_mentioned": _share(
                sum(r.facts_found for r in following), sum(r.facts_expected for r in following)
            ),
            "forbidden_mentions": sum(r.forbidden_mentions for r in answered),
            "language_match": _share(sum(r.drafts_in_language for r in answered), drafts),
            "language_match_by_language": {
                language: _share(entry["matching"], entry["drafts"])
                for language, entry in sorted(by_language.items())
            },
            "opt_outs_respected": _share(sum(r.follow_up_respected for r in quiet), len(quiet)),
            "latency_ms_p50": statistics.median(latencies) if latencies else None,
            "latency_ms_p95": _nearest_rank(latencies, 0.95),
            "prompt_tokens_per_activity": _mean([r.prompt_tokens for r in answered]),
            "prompt_tokens_p95": _nearest_rank(sorted(r.prompt_tokens for r in answered), 0.95),
            "completion_tokens_per_activity": _mean([r.completion_tokens for r in answered]),
            "cost_usd_per_activity": _mean(costs) if costs else None,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.figures(),
            "results": [_result_json(r) for r in self.results],
        }

    def render(self) -> str:
        """The scorecard as a Markdown table, then the cases that missed, one line each."""
        f = self.figures()
        rows = [
            (
                "cases (answered / failed / repaired)",
                f"{f['cases']} ({f['answered']} / {f['failed']} / {f['repaired']})",
            ),
            ("due date in the accepted range", _percent(f["due_date_hit_rate"])),
            (
                "  mean confidence, in range / out of range",
                f"{_decimal(f['due_confidence_in_range'])} / "
                f"{_decimal(f['due_confidence_out_of_range'])}",
            ),
            (
                "rule violations (cases with any)",
                f"{f['rule_violations']} ({f['cases_with_violations']})",
            ),
            ("  by rule", ", ".join(f"{k} {v}" for k, v in f["violations_by_rule"].items()) or "-"),
            ("required facts mentioned", _percent(f["facts_mentioned"])),
            ("forbidden mentions (invented or internal)", str(f["forbidden_mentions"])),
            ("drafts in the contact's language", _percent(f["language_match"])),
            (
                "  by language",
                ", ".join(f"{k} {_percent(v)}" for k, v in f["language_match_by_language"].items()),
            ),
            ("opt-outs and threats respected", _percent(f["opt_outs_respected"])),
            ("latency p50 / p95", f"{f['latency_ms_p50']} / {f['latency_ms_p95']} ms"),
            ("prompt tokens p95", str(f["prompt_tokens_p95"])),
            (
                "tokens per activity (prompt / completion)",
                f"{f['prompt_tokens_per_activity']:.0f} / "
                f"{f['completion_tokens_per_activity']:.0f}",
            ),
            (
                "cost per activity",
                "unknown"
                if f["cost_usd_per_activity"] is None
                else f"${f['cost_usd_per_activity']:.5f}",
            ),
        ]
        lines = [
            f"Eval of {f['model']} on {f['cases']} cases",
            "",
            "| measure | value |",
            "|---|---|",
        ]
        lines += [f"| {name} | {value} |" for name, value in rows]
        misses = [r for r in self.results if _missed(r)]
        if misses:
            lines += ["", "Cases that missed:"]
            lines += [f"- {r.case_id}: {'; '.join(_why(r))}" for r in misses]
        return "\n".join(lines)


def _missed(r: CaseResult) -> bool:
    return bool(_why(r))


def _why(r: CaseResult) -> list[str]:
    if r.error:
        return [f"failed ({r.error})"]
    reasons = []
    if r.expects_follow_up and not r.due_hit:
        reasons.append(f"due {r.due_given}")
    if not r.expects_follow_up and not r.follow_up_respected:
        reasons.append("followed up on an opt-out or threat")
    reasons += [f"broke {rule}" for rule in r.violations]
    if r.forbidden_mentions:
        reasons.append(f"{r.forbidden_mentions} forbidden mention(s)")
    if r.drafts_in_language < r.drafts:
        reasons.append(f"{r.drafts - r.drafts_in_language} draft(s) not in {r.language}")
    return reasons


def _result_json(r: CaseResult) -> dict[str, Any]:
    return {
        "id": r.case_id,
        "type": r.type,
        "language": r.language,
        "error": r.error,
        "due_given": r.due_given,
        "due_hit": r.due_hit,
        "due_confidence": r.due_confidence,
        "violations": list(r.violations),
        "facts_found": r.facts_found,
        "facts_expected": r.facts_expected,
        "forbidden_mentions": r.forbidden_mentions,
        "drafts": r.drafts,
        "drafts_in_language": r.drafts_in_language,
        "repaired": r.repaired,
        "latency_ms": r.latency_ms,
    }


def _mean_confidence(results: list[CaseResult], hit: bool) -> float | None:
    values = [
        r.due_confidence for r in results if r.due_hit == hit and r.due_confidence is not None
    ]
    return round(_mean(values), 3) if values else None


def _decimal(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _nearest_rank(ordered: list[int], quantile: float) -> int | None:
    return ordered[math.ceil(quantile * len(ordered)) - 1] if ordered else None


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"
