"""What a rep's accepted drafts teach the next ones: the tone they pick most comes first, and
the texts they edited before sending show the model their voice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VOICE_EXAMPLES = 5  # newest edited texts read per run; the prompt keeps those that fit


@dataclass(frozen=True)
class RepVoice:
    preferred_tone: str | None = None
    examples: tuple[str, ...] = ()  # final texts the rep edited, newest first


def ranked(drafts: list[dict[str, Any]], preferred_tone: str | None) -> list[dict[str, Any]]:
    """The drafts in the order the rep sees them: their favourite tone first, then by the
    model's confidence (left as the model gave it)."""
    return sorted(drafts, key=lambda draft: (draft["tone"] != preferred_tone, -draft["confidence"]))
