"""Buying signals: how likely the deal behind an activity is to close, from its words.

Outcomes decide the status: a signed contract is won, a refusal is lost. Otherwise each
distinct buying signal (pricing, budget, seats...) raises the probability of an open deal.
No signal at all means no opinion, not a low probability.
"""

from __future__ import annotations

import re

from shared.llm.schema import OpportunitySignal

# "has not been signed", "haven't signed", "yet to be signed": a negation shortly before.
_NEGATION = re.compile(r"\b(?:not|never|yet to|no)\b(?:\s+\w+){0,2}\s*$|n't(?:\s+\w+){0,2}\s*$")
WON = re.compile(
    r"\b(?:signed|closed[\s-]won|purchase order|countersigned|went with us"
    r"|approved the (?:contract|purchase|budget)|ready to (?:buy|sign))\b",
    re.IGNORECASE,
)
LOST = re.compile(
    r"\b(?:not interested|no longer interested|closed[\s-]lost|lost (?:the|this) deal"
    r"|went with (?:a competitor|another vendor)|chose (?:a competitor|another vendor)"
    r"|no budget|cancel(?:led|ed|ling)?|decided against|not moving forward|deal (?:is )?lost)\b",
    re.IGNORECASE,
)
BUYING = re.compile(
    r"\b(?:pricing|price|quote|budget|seats?|licen[cs]es?|contract|proposal|procurement"
    r"|purchase|renewal|demo|trial|pilot|decision[\s-]maker|legal review|security review"
    r"|rollout|order|discount|terms|invoice)\b",
    re.IGNORECASE,
)
BASE_OPEN, PER_SIGNAL, MAX_OPEN = 0.25, 0.1, 0.8
WON_PROBABILITY, LOST_PROBABILITY = 0.95, 0.05


def opportunity_signal(text: str) -> OpportunitySignal | None:
    """The deal's status and probability, or None when the text shows no buying signal."""
    if LOST.search(text):
        return OpportunitySignal(probability=LOST_PROBABILITY, status="lost")
    if any(_affirmed(text, match) for match in WON.finditer(text)):
        return OpportunitySignal(probability=WON_PROBABILITY, status="won")
    signals = {match.lower().rstrip("s") for match in BUYING.findall(text)}
    if not signals:
        return None
    probability = min(BASE_OPEN + PER_SIGNAL * len(signals), MAX_OPEN)
    return OpportunitySignal(probability=round(probability, 3), status="open")


def _affirmed(text: str, match: re.Match[str]) -> bool:
    return not _NEGATION.search(text[max(0, match.start() - 25) : match.start()].lower())
