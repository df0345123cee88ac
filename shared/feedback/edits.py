"""How much a rep changed a draft before accepting it."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class AcceptRecord:
    final_text: str  # what goes to HubSpot: the rep's edit, else the model's text
    edit_distance: float  # normalised Levenshtein distance: 0 untouched, 1 rewritten

    @classmethod
    def of(cls, model_text: str, edited_text: str | None) -> AcceptRecord:
        final = edited_text or model_text
        return cls(final, Levenshtein.normalized_distance(model_text, final))
