"""Which sentences ask the rep to do something, in English, Spanish, German and French.

A date counts as the next touch when it sits in a sentence that asks for an action on our
side ("send intro email to Megan Monday", "envoyez-moi ça à la fin du mois", "Anfang
Februar wieder melden") or carries the contact's request ("she asked for the proposal
mid-January", "Elena pide que le mandemos el dossier"). Dates elsewhere describe the
account (a project start, a past miss, a colleague's leave) and do not set the touch.

Not asks: a sentence that forbids contact ("bitte keine Mails", "don't call before") and
an internal instruction ("don't mention the discount", "no decirle nada", "ne PAS parler
du partenariat") — the first is a floor, read by the date finder; the second is no
commitment to the customer. Read on folded text (``words.fold``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from shared.llm import words as w
from shared.llm.internal import marks_internal
from shared.llm.when import Mention

# Verbs of our next move, each from the start of a word.
_ACT = re.compile(
    r"\b(?:"
    # English
    r"send|email\b|e-mail\b|call\s+(?:me|us|her|him|them|back)|callback|ring\b|follow[- ]?up"
    r"|f/u\b|fup\b|reach\s+out|ping\b|check\s+in|circle\s+back|touch\s+base|get\s+back\s+to"
    r"|reply|respond|share\b|forward\b|book\b|schedule\b|propose|confirm\b|nudge|chase\b"
    r"|remind|deliver|prepare|(?<!as\s)(?<!comme\s)promis|set\s+up|loop\s+(?:in|back)|will\s+try|try\s+(?:again|email"
    r"|calling)|invite|intro\b|introduce|regroup"
    # Spanish
    r"|mand(?!ad[oa]s?\b)|envi(?!ad[oa]s?\b)|llam(?!ad[oa]s?\b)|escrib(?:o|ir|irle|e)\b|contest|respond"
    r"|confirm(?:ar|o|e|emos|arle)\b|propon|reenvi|seguimiento|toque\b|contactar|recordar|agendar|preparar|promet"
    # German
    r"|schick|send|zusend|zuschick|mail(?:en|e)?\b|anruf|anrufen|ruf\s|meld|nachfass|antwort"
    r"|bestatig|vorschlag|terminvorschlag|erinner|einlad|vereinbar|zuruckruf|versproch"
    # French
    r"|envoy|envoi|relanc|rappel|appel(?:er|le|lez)\b|ecri(?:re|s|vez)\b|repond"
    r"|propos(?:er|e|ez|ons)\b|confirm(?:er|ez|ons)\b|caler|planifi|transmet|partag"
    r")"
)
# The words of a request or a to-do: what is asked of us, with or without the verb.
_REQUEST = re.compile(
    r"\b(?:asked\s+(?:for|me|us|to|if|whether)|asks?\s+(?:for|me|us|to|if|whether)|wants?\b"
    r"|requested|would\s+like|'d\s+like|please|pls\b|plz\b|can\s+you|could\s+you|expects?\b"
    r"|needs?\s+(?:our|us|from\s+us|it|them|this|that|the|a|an)\b|need\s+to|let'?s\b|action\s+item"
    r"|next\s+step|to\s+do\b|todo\b"
    r"|pid(?:e|io|en)\b|quiere|quieren|necesita|solicit|por\s+favor|hay\s+que|tengo\s+que"
    r"|bitte|mochte|wollen|braucht|benotigt|wunscht|soll\b|sollen|muss\b|mussen"
    r"|demande|veut|veulent|souhait|besoin|merci\s+de|pouvez-vous|pourriez-vous|il\s+faut"
    r"|je\s+dois|a\s+faire\b"
    r")"
)
# A negation right around the ask: "keine Mails", "no llamar", "don't call", "pas de mail".
_NOT = re.compile(
    r"\b(?:no|not|don't|dont|do\s+not|never|kein\w*|nicht|nie|pas|ne|jamais|nada|nunca)\b"
)
_NEAR = 14
# Setting up a meeting: wanted before a date, so times are proposed now.
_SCHEDULE = re.compile(
    r"\b(?:schedule|book|set\s+up\s+(?:a|the)\s+(?:call|meeting|time)|find\s+(?:a\s+)?time"
    r"|agendar|programar|cuadrar|vereinbar|terminier|caler|planifi|organiser)"
)
_BOUNDARY = re.compile(r"[.!?;][\"')\]]*(?=\s|$)|\n")
# A period after these is no sentence's end: "Hr. Lehmann", "Partners LLC, not Inc.", "z.B."
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[a-z]|hr|fr|dr|mr|mrs|ms|st|sr|sra|srta|inc|ltd|llc|co|corp|gmbh|inkl|bzw"
    r"|ca|tel|cel|nr|no|vs|etc|approx|esp|sen|jr|mme|mlle|z\.b|u\.a|s\.l|s\.a|e\.g|i\.e)$"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    asks: bool  # asks for something to be done on our side
    internal: bool  # an instruction for the rep's side only: its dates commit to nothing
    schedules: bool = False  # asks to set up a meeting

    def holds(self, position: int) -> bool:
        return self.start <= position < self.end


def sentences(text: str) -> list[Sentence]:
    """``text`` cut into sentences (and list lines), each with what it asks."""
    folded = w.fold(text)
    found = []
    for start, end in _spans(folded):
        part = folded[start:end]
        if not part.strip():
            continue
        internal = marks_internal(part)
        asks = not internal and (_said(_ACT, part) or _said(_REQUEST, part))
        schedules = asks and bool(_SCHEDULE.search(part))
        found.append(Sentence(start, end, asks, internal, schedules))
    return found


def _spans(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for boundary in _BOUNDARY.finditer(folded):
        if boundary.group()[0] == "." and _ABBREVIATION.search(folded[start : boundary.start()]):
            continue
        spans.append((start, boundary.end()))
        start = boundary.end()
    return [*spans, (start, len(folded))] if start < len(folded) else spans


def _said(words: re.Pattern[str], sentence: str) -> bool:
    return any(not _negated_near(sentence, found) for found in words.finditer(sentence))


def _negated_near(sentence: str, ask: re.Match[str]) -> bool:
    around = sentence[max(0, ask.start() - _NEAR) : ask.end() + _NEAR]
    return bool(_NOT.search(around))


@dataclass(frozen=True)
class NextTouch:
    """What a text says of the next touch."""

    mention: Mention | None  # the date asked for, if any
    floor: Mention | None  # the latest "not before" said of availability or a hold
    to_schedule: bool = False  # a meeting wanted before a date: times are proposed now
    asked: bool = True  # False: no sentence asks for ``mention``, the text only names it


def read_next_touch(text: str, mentions: list[Mention]) -> NextTouch:
    """The date of the next touch among ``mentions`` (``find_mentions`` of ``text``).

    A date in a sentence that asks for something is the touch; when several are, the
    earliest target ("Monday", "mid-January") wins, no earlier than a "not before" and no
    later than a deadline. Availability and holds ("out until the 7th", "frozen until
    Q1") are floors wherever they are said; internal instructions commit to nothing.
    Without any ask the text's own ranking of its dates stands.
    """
    parts = sentences(text)
    placed = [(mention, _sentence_of(parts, mention)) for mention in mentions]
    live = [(m, s) for m, s in placed if s is None or not s.internal]
    floor = max((m for m, _ in live if m.floor), key=lambda m: m.due, default=None)
    asked: dict[Sentence, list[Mention]] = {}
    for m, s in live:
        if s is not None and s.asks:
            asked.setdefault(s, []).append(m)
    if not asked:  # no date asked for: the text's own ranking, unless it asks undated
        undated = any(s.asks for s in parts)
        named = None if undated else next((m for m, _ in live), None)
        return NextTouch(named, floor, asked=False)
    # One pick per sentence (its targets, floors and deadlines hold together); the earliest.
    where, mention = min(((s, _pick(group)) for s, group in asked.items()), key=_due)
    return NextTouch(mention, floor, mention.deadline and where.schedules)


def _due(pick: tuple[Sentence, Mention]) -> date:
    return pick[1].due


def _sentence_of(parts: list[Sentence], mention: Mention) -> Sentence | None:
    return next((part for part in parts if part.holds(mention.start)), None)


def _pick(asked: list[Mention]) -> Mention:
    """One sentence's date: its earliest target, no earlier than its "not before" and no
    later than its deadline. A deadline outranks a plain "from" ("needs it by Monday 12th;
    site freeze from 16 Nov"), not someone's absence or an "after"."""
    deadline = min((m for m in asked if m.deadline), key=lambda m: m.due, default=None)
    lower = max(
        (m for m in asked if m.not_before and (m.floor or m.after or deadline is None)),
        key=lambda m: m.due,
        default=None,
    )
    targets = [m for m in asked if not m.deadline and not m.not_before]
    pick = min(targets, key=lambda m: m.due) if targets else lower or deadline
    assert pick is not None  # every mention is a target, a "not before" or a deadline
    if lower is not None and pick.due < lower.due:
        pick = lower
    binding = deadline is not None and (lower is None or deadline.due >= lower.due)
    if binding and deadline is not None and pick.due > deadline.due:
        pick = deadline
    return pick
