"""Follow-up drafts in three tones, built from the activity's own facts, in the language
the contact writes in (``reply_language``).

The key sentence is the one that asks for something (or names the date); what is asked
for ("pricing for 50 seats") becomes the topic of every draft, as written, framed in the
draft's language. Without a clear ask the drafts fall back to the subject and say less,
with lower confidence. A date the text committed to is promised; a cadence date is only
proposed.
"""

from __future__ import annotations

import re
from datetime import datetime

from shared.hubspot.models import Activity, Contact
from shared.llm.attention import attention, missed_meeting
from shared.llm.internal import INBOUND_DIRECTIONS
from shared.llm.reply_language import draft_language
from shared.llm.schema import Draft
from shared.llm.tones import TONES, WORDS, Facts, write
from shared.llm.tones.words import Words

_LABEL = re.compile(r"^[^:\n]{0,60}:\s+")  # "Call with Dana Ortiz: " before the content
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_TOPIC_CHARS = 140


def compose_drafts(
    activity: Activity,
    due: datetime,
    date_phrase: str | None,
    now: datetime,
    country: str | None = None,
) -> list[Draft]:
    """Friendly, formal and concise drafts with confidences for what they could use."""
    facts = gather_facts(activity, due, date_phrase, now, country)
    # A template around the subject is worth little whoever it names; an ask read from the
    # text is what makes a draft worth sending.
    base = 0.3 + 0.2 * bool(facts.first_name) + 0.35 * facts.concrete + 0.1 * facts.committed
    return [
        Draft(
            tone=tone,
            text=_spelled_for(country, facts.words.code, write(tone, facts)),
            confidence=round(min(base + shift, 1.0), 3),
        )
        for tone, shift in TONES
    ]


def _spelled_for(country: str | None, language: str, text: str) -> str:
    """Swiss Standard German has no "ß": "Grüsse", "gemäss"."""
    return text.replace("ß", "ss") if country == "CH" and language == "de" else text


def gather_facts(
    activity: Activity,
    due: datetime,
    date_phrase: str | None,
    now: datetime,
    country: str | None = None,
) -> Facts:
    words = WORDS[draft_language(activity, country)]
    sentence = key_sentence(activity, date_phrase, words)
    contact = addressee(activity, sentence)
    company = next((c.name for c in activity.companies if c.name), None)
    opener_key = _opener_key(activity, now)
    subject = activity.subject.strip()
    if contact and any(part in subject for part in contact.name.split()):
        subject = ""  # "Call with Dana Ortiz" says nothing to Dana
    fallback = words.quoted(subject) if subject else words.generic_topics[opener_key]
    topic, concrete = _topic(words, sentence, fallback)
    return Facts(
        words=words,
        first_name=contact.name.split()[0] if contact else None,
        full_name=" ".join(contact.name.split()) if contact else None,
        company=company or (contact.company if contact else None),
        topic=topic,
        concrete=concrete,
        committed=date_phrase is not None,
        due=due,
        opener_key=opener_key,
        sender=" ".join(activity.owner_name.split()),
    )


def addressee(activity: Activity, ask: str | None) -> Contact | None:
    """Whom the drafts greet: the addressee the payload names (an inbound email's sender),
    else the contact the title names ("Email Raj the checklist"), the one something is sent
    to ("follow-up to Dev with the 3 items"), the one the ask names, else the first."""
    named = [c for c in activity.contacts if c.name.strip()]
    chosen = next((c for c in named if c.id == activity.addressee_id), None)
    for text, pattern in (
        (activity.subject, r"\b{}\b"),
        (activity.body, _GOES_TO),
        (ask or "", r"\b{}\b"),
    ):
        chosen = chosen or next((c for c in named if _names(text, pattern, c)), None)
    return chosen or (named[0] if named else None)


# Something on its way to someone: "follow-up to Dev", "send anything commercial to Dev",
# "Angebot an Frau Lorenz schicken", "enviar a Jorge", "envoyer à Mme Roux".
_GOES_TO = (
    r"(?i:\bnext\s*:|\b(?:follow[- ]?up|send|email|e-mail|reply|forward|write|cc|mandar|enviar"
    r"|reenviar|escribir|schicken|senden|mailen|weiterleiten|envoyer|transf[ée]rer|[ée]crire)\b)"
    r"[^.\n]{{0,60}}?\b(?i:to|an|a|à|para|cc)\s+"
    r"(?:(?:Herrn?|Frau|Mr\.?|Ms\.?|Sr\.?|Sra\.?|M\.|Mme)\s+)?{}\b"
)


def _names(text: str, pattern: str, contact: Contact) -> bool:
    first = re.escape(contact.name.split()[0])
    return re.search(pattern.format(first), text) is not None


def _opener_key(activity: Activity, now: datetime) -> str:
    found = attention(f"{activity.subject}\n{activity.body}")
    if found is not None and found.flag == "hostile":
        return "upset"  # an apology first, never "Thanks for your email!"
    if activity.type == "meeting" and activity.occurred_at and activity.occurred_at > now:
        return "meeting_ahead"  # no thanks for a meeting that has not happened
    if missed_meeting(activity):
        return "meeting_missed"  # nor for one the contact did not come to
    if activity.type != "email":
        return activity.type
    inbound = (activity.direction or "").upper() in INBOUND_DIRECTIONS
    return "email_in" if inbound else "email_out"


def key_sentence(activity: Activity, date_phrase: str | None, words: Words) -> str | None:
    """The sentence that carries the ask: most cue words, the date phrase counting double."""
    sentences = [s.strip() for s in _SENTENCES.split(f"{activity.subject}\n{activity.body}")]

    def score(sentence: str) -> int:
        dated = bool(date_phrase) and (date_phrase or "") in sentence
        return len(words.cues.findall(sentence)) + 2 * dated

    best = max((s for s in sentences if s), key=score, default=None)
    return best if best and score(best) > 0 else None


def _topic(words: Words, sentence: str | None, fallback: str) -> tuple[str, bool]:
    """What the drafts follow up on, and whether it is a concrete ask."""
    ask = words.ask.search(_LABEL.sub("", sentence)) if sentence else None
    if ask is None:
        return fallback, False
    topic = words.addressed(ask["topic"]).rstrip(' .!?;,"”»“')  # a quote's close, too
    if len(topic) > MAX_TOPIC_CHARS:
        topic = topic[:MAX_TOPIC_CHARS].rsplit(" ", 1)[0]
    template = words.interest if ask["interest"] else words.request
    return words.framed(template, topic, ask.groupdict()), True
