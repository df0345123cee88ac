"""What one language needs to write the drafts: its sentences, its names of days and months,
and how it spots an ask. Only the words differ between languages; the code is shared."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Tone:
    """One tone in one language. ``body`` holds the slots {greeting}, {opener}, {topic},
    {when} and {offer}; a pair is (with the fact, without it)."""

    greeting: tuple[str, str]  # ("Hi {first},", "Hi there,"): {first} or {full} name
    body: str
    when: tuple[str, str]  # (promised, proposed): {long} or {short} date
    openers: dict[str, str]  # first sentence per kind of activity; none for a terse tone
    offer: tuple[str, str] = ("", "")  # ({company} known, not known)
    signature: str = "{sender_first}"  # the rep's name under the draft, or {sender_full}


@dataclass(frozen=True)
class Words:
    """Everything language-specific about a draft, for one language."""

    code: str  # ISO 639-1
    tones: dict[str, Tone]  # friendly, formal, concise
    generic_topics: dict[str, str]  # what a draft follows up on without an ask or subject
    request: str  # "your request for {ask}"
    interest: str  # "your interest in {ask}"
    quotes: tuple[str, str]  # around a subject used as the topic
    ask: re.Pattern[str]  # groups: topic, and interest when the ask is an interest
    cues: re.Pattern[str]  # words that mark the sentence carrying the ask
    weekdays: tuple[str, ...]  # Monday first
    weekdays_short: tuple[str, ...]
    months: tuple[str, ...]  # January first
    months_short: tuple[str, ...]
    long_date: str  # slots: {weekday} {wd} {month} {mon} {day} {d} {m}
    short_date: str
    first_day: str = "1"  # how the 1st of a month is written in a long date
    joins: tuple[tuple[str, str], ...] = ()  # contractions where a frame meets the ask
    yours: tuple[tuple[str, str], ...] = ()  # the third person ("their") as "your"

    def date(self, day: date, pattern: str) -> str:
        return pattern.format(
            weekday=self.weekdays[day.weekday()],
            wd=self.weekdays_short[day.weekday()],
            month=self.months[day.month - 1],
            mon=self.months_short[day.month - 1],
            day=self.first_day if day.day == 1 else day.day,
            d=day.day,
            m=day.month,
        )

    def quoted(self, text: str) -> str:
        return f"{self.quotes[0]}{text}{self.quotes[1]}"

    def addressed(self, ask: str) -> str:
        """``ask`` as the contact reads it: "their team" becomes "your team"."""
        for pattern, replacement in self.yours:
            ask = re.sub(pattern, replacement, ask)
        return ask

    def framed(self, template: str, ask: str, groups: dict[str, Any]) -> str:
        """``ask`` in ``template``, contracted where they meet ("de el" is "del")."""
        before, _, after = template.partition("{ask}")
        head, _, last = before.format(**groups).rstrip().rpartition(" ")
        meeting = f"{last} {ask}"
        for pattern, replacement in self.joins:
            meeting = re.sub(pattern, replacement, meeting, count=1, flags=re.IGNORECASE)
        return f"{head} {meeting}{after}"
