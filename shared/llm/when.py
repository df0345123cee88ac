"""Dates a text commits to, read relative to the day it was written.

Each pattern turns a phrase ("by Friday", "in 3 business days", "March 3rd", "end of Q3")
into a calendar day. A phrase after "by", "before", "until"... is a deadline. "Before X"
means the business day before X: a rep asked for something *before* a meeting needs it in
hand by the end of the previous working day, not on the morning of the meeting.
"Next Friday" is the Friday of next week; "this Friday" and "Friday" the coming one.
Dates without a year are the next such date; a dated day already past is a reference to
the past, not a commitment, and is ignored. Weekend days move to the Monday after.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from shared.llm import dates as d
from shared.llm import resolvers as r

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DEADLINE = re.compile(
    r"(?:\bby|\bbefore|\buntil|\btill|\bno later than|\bdue(?:\s+(?:on|by))?|\bahead of"
    r"|\bprior to|\bdeadline(?:\s+(?:is|of))?)\s+(?:the\s+)?$"
)
_BEFORE = re.compile(r"(?:\bbefore|\bahead of|\bprior to)\s+(?:the\s+)?$")
_WEEKDAY = "|".join(d.WEEKDAYS)
_YEAR = r"(?:,?\s+(?P<y>\d{4})\b)?"
_UNIT = r"(?P<business>business\s+|working\s+)?(?P<unit>day|week|month)s?\b(?!\s+ago)"

Resolver = Callable[[r.Groups, date], date | None]


def _fixed(days: int) -> Resolver:
    return lambda _g, anchor: anchor + timedelta(days=days)


# Most specific first: a span taken by one pattern is not read again by a later one.
# The flag says whether the phrase is an explicit calendar date.
_PATTERNS: tuple[tuple[str, Resolver, bool], ...] = (
    (r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b", r.month_day, True),
    (rf"\b(?P<mon>{MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}", r.month_day, True),
    (
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTHS})\b{_YEAR}",
        r.month_day,
        True,
    ),
    (
        r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])",
        r.month_day,
        True,
    ),
    (
        rf"\b(?P<within>in|within|after)\s+(?:the\s+next\s+)?(?P<count>{r.NUMBER})\s+{_UNIT}",
        r.relative,
        False,
    ),
    (
        rf"\b(?P<count>{r.NUMBER})\s+(?P<business>business|working)\s+(?P<unit>day)s?\b",
        r.relative,
        False,
    ),
    (r"\b(?:end\s+of\s+(?:the\s+|this\s+)?quarter|eoq)\b", r.end_of_quarter, False),
    (r"\b(?:end\s+of\s+(?:the\s+)?)?q(?P<quarter>[1-4])\b", r.end_of_quarter, False),
    (r"\b(?:end\s+of\s+(?:the\s+|this\s+)?month|eom)\b", r.end_of_month, False),
    (rf"\bend\s+of\s+(?P<mon>{MONTHS})\b", r.end_of_named_month, False),
    (r"\b(?:end\s+of\s+(?:the\s+|this\s+)?year|eoy)\b", r.end_of_year, False),
    (r"\b(?:end\s+of\s+(?:the\s+|this\s+)?week|eow)\b", r.end_of_week, False),
    (r"\b(?:next|following)\s+week\b", lambda _g, a: d.monday_after(a), False),
    (r"\bnext\s+month\b", lambda _g, a: d.add_months(a.replace(day=1), 1), False),
    (r"\btomorrow\b", _fixed(1), False),
    (
        r"\b(?:today|tonight|eod|end\s+of\s+(?:the\s+)?day|cob|close\s+of\s+business)\b",
        _fixed(0),
        False,
    ),
    (
        rf"\b(?:(?P<which>next|this|coming)\s+)?(?P<weekday>{_WEEKDAY})(?:'s|\u2019s)?\b",
        r.weekday,
        False,
    ),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), fn, explicit) for p, fn, explicit in _PATTERNS)


@dataclass(frozen=True)
class Mention:
    """A day the text commits to, already moved off weekends (and before "before X")."""

    due: date
    phrase: str
    explicit: bool  # a calendar date rather than a relative phrase
    deadline: bool  # introduced by "by", "before", "until", "within"...
    before: bool = False  # "before X": moved to the business day before X


def find_mentions(text: str, anchor: date) -> list[Mention]:
    """Every commitment date in ``text``: deadlines first, then earliest first."""
    taken: list[range] = []
    found: list[Mention] = []
    for pattern, resolve, explicit in _COMPILED:
        for match in pattern.finditer(text):
            if any(match.start() in span or match.end() - 1 in span for span in taken):
                continue
            groups = {k: v.lower() if v else None for k, v in match.groupdict().items()}
            day = resolve(groups, anchor)
            if day is None or day < anchor:
                continue
            taken.append(range(match.start(), match.end()))
            found.append(_mention(text, match, groups, day, anchor, explicit))
    return sorted(found, key=lambda m: (not m.deadline, m.due))


def _mention(
    text: str, match: re.Match[str], groups: r.Groups, day: date, anchor: date, explicit: bool
) -> Mention:
    preceding = text[max(0, match.start() - 30) : match.start()].lower()
    deadline = groups.get("within") == "within" or bool(_DEADLINE.search(preceding))
    before = bool(_BEFORE.search(preceding))
    if before:
        day = max(anchor, d.previous_business_day(day))
    return Mention(d.roll_forward(day), match.group(0), explicit, deadline, before)
