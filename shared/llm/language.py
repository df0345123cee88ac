"""Which language a text is written in, for the languages the service writes drafts in.

Backed by lingua (statistical models that ship inside the package, no network), limited to
the languages below so a short text is not mistaken for one nobody here writes in. A text too
short or too mixed to tell gives None rather than a guess.
"""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = {
    Language.ENGLISH: "en",
    Language.SPANISH: "es",
    Language.GERMAN: "de",
    Language.FRENCH: "fr",
    Language.PORTUGUESE: "pt",
    Language.ITALIAN: "it",
    Language.DUTCH: "nl",
}
# Below this share of the evidence the answer is a guess, not a detection.
MIN_CONFIDENCE = 0.6


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it cannot be told."""
    if len(text.split()) < 3:
        return None
    [best, *_] = _detector().compute_language_confidence_values(text)
    return LANGUAGES[best.language] if best.value >= MIN_CONFIDENCE else None
