"""Whose words an activity's text is, and which parts of it are for the rep's eyes only.

An inbound email is the contact's writing; everything else is the rep's (a note that pastes
what the customer said is still the rep's record of it). In the rep's notes, calls, meetings
and tasks, some sentences are reminders no customer may read: a meeting's internal notes
(HubSpot's ``hs_internal_meeting_notes``, under ``INTERNAL_NOTES_HEADING``), a sentence
marked "internal", "(intern)", "note to self", or one that says what not to tell ("don't
mention", "nicht erwähnen", "no mencionar", "ne pas parler de") or names the rep's own floor
("our floor is 20%"), in English, Spanish, German and French. A line that is only such a
label ("Internal:") marks the lines under it, up to a blank line. An email, sent or received,
has no internal part: it was written to be read by the other side.
"""

from __future__ import annotations

import re
from typing import Literal

from shared.hubspot.models import INTERNAL_NOTES_HEADING, Activity
from shared.llm.words import fold

INBOUND_DIRECTIONS = {"INCOMING_EMAIL", "INBOUND"}
Author = Literal["rep", "contact"]

_LABEL = (  # a word that marks what follows as internal, alone or before a colon
    r"internal(?:\s+only)?|internal\s+notes?|intern|nur\s+intern|interne?s?|interno|interna"
    r"|nota\s+interna|notas\s+internas|note\s+interne|notes\s+internes|uso\s+interno"
    r"|usage\s+interne|note\s+to\s+self|notiz\s+an\s+mich|nota\s+para\s+m[ií]"
    r"|note\s+pour\s+moi|reminder|remember|recordatorio|merke|rappel|ojo|embargo"
)
_DO_NOT = (  # "do not tell them", in the four languages
    r"(?:don'?t|do\s+not|never|not\s+to)\s+(?:mention|share|tell|say|claim|promise|bring\s+up"
    r"|reveal|disclose|forward|offer|send)"
    r"|not\s+for\s+(?:the\s+)?(?:customer|client|prospect)|keep\s+(?:it\s+|this\s+)?internal"
    r"|no\s+(?:mencionar|decir(?:le|les)?|compartir|comentar|prometer|ofrecer|revelar)|sin\s+dec[ií]rselo"
    r"|nicht\s+(?:erw[äa]hnen|sagen|weitergeben|zusagen|versprechen|anbieten|nennen|teilen)"
    r"|n(?:ix|ichts)\s+zusagen|ne\s+pas\s+(?:mentionner|parler|dire|partager|communiquer"
    r"|promettre|proposer|r[ée]v[ée]ler)|reste\s+interne|bleibt\s+intern|queda\s+interno"
    # what the rep's team has to settle first: "check internally", "intern klären"
    r"|(?:check|confirm|discuss|clarify|align)\s+internally"
    r"|(?:consultar|confirmar|validar|revisar)\s+(?:internamente|en\s+interno)"
    r"|intern\s+(?:mit\s+\w+\s+)?(?:kl[äa]ren|abstimmen|pr[üu]fen|besprechen)"
    r"|(?:v[ée]rifier|valider|voir|confirmer)\s+en\s+interne"
)
_FLOOR = (  # the rep's own limits
    r"\b(?:our|my)\s+(?:floor|walk[- ]?away|bottom\s+line|max(?:imum)?\s+discount|margin)"
    r"|\bnuestro\s+(?:m[ií]nimo|piso|l[ií]mite)|\bunsere?\s+(?:schmerzgrenze|untergrenze|marge)"
    r"|\bnotre\s+(?:plancher|marge|limite)|\bschmerzgrenze\b"
)
_MARKED = re.compile(
    rf"\((?:{_LABEL})\)|\b(?:{_LABEL})\s*:|\b(?:{_DO_NOT})\b|{_FLOOR}", re.IGNORECASE
)


def marks_internal(sentence: str) -> bool:
    """Whether ``sentence`` says it is for the rep's eyes only (see the module doc)."""
    return bool(_MARKED.search(sentence))


_HEADING = re.compile(rf"^[\s*#>\-\u2013\u2022]*(?:{_LABEL})\s*:?[\s*]*$", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")


def written_by(activity: Activity) -> Author:
    """The contact for an inbound email, the rep for everything else."""
    inbound = (activity.direction or "").upper() in INBOUND_DIRECTIONS
    return "contact" if activity.type == "email" and inbound else "rep"


def internal_spans(activity: Activity) -> list[str]:
    """The sentences and blocks of ``activity``'s body no customer may read."""
    if activity.type == "email":
        return []
    spans: list[str] = []
    for block in _blocks(activity.body):
        spans += _internal_in(block)
    return [span for span in spans if span.strip()]


def shareable_text(activity: Activity) -> str:
    """``activity``'s body less its internal spans: what drafts may be built from."""
    body = activity.body
    for span in internal_spans(activity):
        body = body.replace(span, "")
    return body


def _blocks(body: str) -> list[str]:
    """The body in blocks split by blank lines; the internal notes heading and all under it
    are one block, whatever blank lines they hold."""
    head, found, notes = body.partition(INTERNAL_NOTES_HEADING)
    blocks = re.split(r"\n[ \t]*\n", head)
    return [*blocks, found + notes] if found else blocks


def _internal_in(block: str) -> list[str]:
    lines = block.split("\n")
    if lines and (lines[0].strip() == INTERNAL_NOTES_HEADING or _HEADING.match(lines[0])):
        return [block]
    return [
        sentence for line in lines for sentence in _SENTENCE.split(line) if marks_internal(sentence)
    ]


RUN_WORDS = 6  # this many words in a row, copied from an internal span, is a leak


def word_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of ``RUN_WORDS`` consecutive words in ``text``, case and accents folded."""
    words = re.findall(r"\w+", fold(text))
    return {tuple(words[i : i + RUN_WORDS]) for i in range(len(words) - RUN_WORDS + 1)}


def internal_runs(activity: Activity) -> set[tuple[str, ...]]:
    """The word runs of ``activity``'s internal spans that its shareable text lacks."""
    runs = set().union(*(word_runs(span) for span in internal_spans(activity)))
    return runs - word_runs(f"{activity.subject}\n{shareable_text(activity)}")
