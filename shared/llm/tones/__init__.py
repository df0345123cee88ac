"""The three tones a follow-up is written in, in the contact's language, from the facts one
activity supports.

Each language is one module here (``en``, ``es``, ``de``, ``fr``) holding a ``Words``: its
sentences per tone, openers per kind of activity, names of days and months, and how an ask
reads. Writing a draft is the same code for every language; only the words differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.llm.tones import de, en, es, fr
from shared.llm.tones.words import Tone, Words

WORDS: dict[str, Words] = {w.code: w for w in (en.WORDS, es.WORDS, de.WORDS, fr.WORDS)}
DEFAULT_LANGUAGE = "en"
# Each tone with how much its confidence moves: concise drops context a reader may need.
TONES = (("friendly", 0.0), ("formal", -0.02), ("concise", -0.05))


@dataclass(frozen=True)
class Facts:
    """What a draft may say: only what the activity supports, nothing to fill in by hand."""

    words: Words  # the language the draft is written in
    first_name: str | None
    full_name: str | None  # for salutations that name the whole person
    company: str | None
    topic: str  # what the follow-up is about, e.g. "your request for pricing for 50 seats"
    concrete: bool  # the topic is a real ask, not just the subject
    committed: bool  # the due date comes from the text, so it can be promised
    due: datetime
    opener_key: str  # a kind of activity: call, meeting, meeting_ahead, email_in...
    sender: str = ""  # the rep's full name, who signs the draft ("" when unknown)


def write(tone_name: str, f: Facts) -> str:
    """The draft in ``tone_name``, in ``f``'s language."""
    tone = f.words.tones[tone_name]
    text = tone.body.format(
        greeting=_pick(tone.greeting, f.first_name).format(first=f.first_name, full=f.full_name),
        opener=tone.openers.get(f.opener_key, ""),
        topic=f.topic,
        when=_when(tone, f),
        offer=_pick(tone.offer, f.company).format(company=f.company),
    )
    if not f.sender:
        return text
    signature = tone.signature.format(sender_first=f.sender.split()[0], sender_full=f.sender)
    return f"{text}\n{signature}"


def _when(tone: Tone, f: Facts) -> str:
    long, short = (
        f.words.date(f.due, pattern) for pattern in (f.words.long_date, f.words.short_date)
    )
    return _pick(tone.when, f.committed).format(long=long, short=short)


def _pick(pair: tuple[str, str], known: object) -> str:
    """The first of ``pair`` when the fact is known, else the second."""
    return pair[0] if known else pair[1]
