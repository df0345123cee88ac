"""Which language the drafts for an activity are written in: the contact's, when we write it.

The customer's own words are the best evidence: the newest part of an inbound email (above
the quoted thread) or what a note quotes them as saying. Without them, or when they are too
short to tell, the whole subject and body decide; when not even they can tell ("Llamar a
Jorge"), the language of the account's country. A language we have no templates for, or
none that can be told, gives English.
"""

from __future__ import annotations

import re

from shared.hubspot.models import Activity
from shared.llm.internal import INBOUND_DIRECTIONS
from shared.llm.language import detect_language
from shared.llm.thread import newest_message
from shared.llm.tones import DEFAULT_LANGUAGE, WORDS

# What a note quotes someone as saying: “...”, "...", «...», „...“.
_QUOTED = re.compile(r"[“\"«„]\s*([^“”\"«»„]{2,}?)\s*[”\"»“]")


# Where one language is what nearly every business writes in. Countries with several
# (Switzerland, Belgium, Canada) are left to the text.
COUNTRY_LANGUAGES = {
    **dict.fromkeys(("ES", "MX", "CO", "AR", "CL", "PE", "EC", "UY", "VE", "GT", "CR"), "es"),
    **dict.fromkeys(("DE", "AT", "LI"), "de"),
    **dict.fromkeys(("FR", "LU", "MC"), "fr"),
}


def draft_language(activity: Activity, country: str | None = None) -> str:
    """ISO 639-1 code of the language to write ``activity``'s drafts in; ``country`` is the
    account's, for a text too short to tell."""
    for text in (customer_words(activity), f"{activity.subject}\n{activity.body}"):
        found = detect_language(text) if text else None
        if found:
            return found if found in WORDS else DEFAULT_LANGUAGE
    return COUNTRY_LANGUAGES.get(country or "", DEFAULT_LANGUAGE)


def customer_words(activity: Activity) -> str | None:
    """The customer's own words in the activity, where they can be told from the rep's."""
    if activity.type == "email" and (activity.direction or "").upper() in INBOUND_DIRECTIONS:
        return newest_message(activity.body).strip() or None
    quoted = _QUOTED.findall(activity.body)
    return " ".join(quoted) or None
