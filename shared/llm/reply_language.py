"""Which language the drafts for an activity are written in: the contact's, when we write it.

The customer's own words are the best evidence: the newest part of an inbound email (above
the quoted thread) or what a note quotes them as saying. Without them, or when they are too
short to tell, the whole subject and body decide. A language we have no templates for, or
none that can be told, gives English.
"""

from __future__ import annotations

import re

from shared.hubspot.models import Activity
from shared.llm.language import detect_language
from shared.llm.tones import DEFAULT_LANGUAGE, WORDS
from shared.llm.touch import INBOUND_DIRECTIONS

# Where a reply's quoted thread starts, as mail clients write it in these languages.
_THREAD = re.compile(
    r"^\s*(?:>|-{2,}\s*(?:original message|mensaje original|ursprüngliche nachricht"
    r"|message d'origine)|(?:from|de|von|envoyé|enviado|gesendet)\s*:"
    r"|on\b.{0,200}\bwrote\s*:|el\b.{0,200}\bescribió\s*:|am\b.{0,200}\bschrieb\b.{0,100}:"
    r"|le\b.{0,200}\ba écrit\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
# What a note quotes someone as saying: “...”, "...", «...», „...“.
_QUOTED = re.compile(r"[“\"«„]\s*([^“”\"«»„]{2,}?)\s*[”\"»“]")


def draft_language(activity: Activity) -> str:
    """ISO 639-1 code of the language to write ``activity``'s drafts in."""
    for text in (customer_words(activity), f"{activity.subject}\n{activity.body}"):
        found = detect_language(text) if text else None
        if found:
            return found if found in WORDS else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def customer_words(activity: Activity) -> str | None:
    """The customer's own words in the activity, where they can be told from the rep's."""
    if activity.type == "email" and (activity.direction or "").upper() in INBOUND_DIRECTIONS:
        thread = _THREAD.search(activity.body)
        return activity.body[: thread.start() if thread else None].strip() or None
    quoted = _QUOTED.findall(activity.body)
    return " ".join(quoted) or None
