"""Dates a text commits to, read relative to the day it was written, in English, Spanish,
German and French.

Each phrase (``phrases``) names a day or a period; the words around it (``cues``) say what
the text wants of it. A deadline ("by Friday", "bis Freitag") is due that day; "before X"
is due the working day before X: a rep asked for something *before* a meeting needs it in
hand by the end of the previous working day. "Not before" phrases set the earliest day:
someone "out until the 7th" is reached the working day after, "back on the 7th" that day,
"after the board meeting on the 12th" the working day after it. "Before then" and "after
that" refer to the date named just before. A dated day already past is a reference to the
past, not a commitment, and is ignored. Weekend days move to the Monday after; working
days are counted on the account's country's calendar.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from shared.llm import dates as d
from shared.llm import resolvers as r
from shared.llm import words as w
from shared.llm.cues import Cue, Kind, Shift, read_cue, shift
from shared.llm.phrases import PATTERNS

_WITHIN_DEADLINE = ("within", "innerhalb", "binnen", "sous", "d'ici", "en los", "en las", "in den")
# "davor" is "before that", "danach" "after that": references with their cue inside.
_OWN_CUE = {"davor": Kind.BEFORE, "vorher": Kind.BEFORE, "danach": Kind.AFTER}
_BARE_REFERENCES = {"that", "eso", "ello", "cela", "ca"}  # only after "before" or "after"
# "90 days prior", "two weeks later", "3 jours après": shifted from the date named before.
FLOOR_HORIZON_DAYS = 120
_LATER = {"later", "after", "afterwards", "despues", "spater", "spaeter", "danach", "apres"}


@dataclass(frozen=True)
class Mention:
    """A day the text commits to, already moved off weekends (and before "before X")."""

    due: date
    phrase: str
    explicit: bool  # a calendar date rather than a relative phrase
    deadline: bool  # introduced by "by", "before", "until", "within"...
    before: bool = False  # "before X": moved to the business day before X
    not_before: bool = False  # "out until X", "after X", "from X": due no earlier than this
    floor: bool = False  # a not-before said of availability ("out until", "frozen until")
    after: bool = False  # "after X": the working day after it
    named: date | None = None  # the day the phrase names, before any cue moves it
    start: int = 0  # where the phrase is in the text read


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    span: r.Span | None  # None: a reference to the date named before it
    explicit: bool
    needs_cue: bool
    groups: r.Groups


@dataclass(frozen=True)
class _Named:
    """The last date a reference can point back to."""

    span: r.Span
    phrase: str
    trusted: bool  # explicit or given a meaning by its cue, not a bare "Monday"


def find_mentions(
    text: str, anchor: date, country: str | None = None, event: date | None = None
) -> list[Mention]:
    """Every commitment date in ``text``: deadlines first (earliest first), then the latest
    "not before" day, then the other dates, earliest first. ``country``'s public holidays
    are not counted as working days; ``event`` is the day of a meeting ahead ("before the
    meeting")."""
    text = unicodedata.normalize("NFC", text)
    folded, cal = w.fold(text), r.Calendar(anchor, country, event)
    found: list[Mention] = []
    named: _Named | None = None
    for hit in _hits(text, folded, cal):
        if hit.span is not None and hit.span.last < anchor:
            continue  # a date that has passed: taken, but no commitment
        cue = read_cue(folded, hit.start, hit.end)
        mention = _mention(hit, cue, named, text[hit.start : hit.end], cal)
        if mention is None:
            continue
        found.append(mention)
        if hit.span is not None:
            named = _Named(hit.span, mention.phrase, hit.explicit or cue.kind is not Kind.ON)
    return sorted(found, key=_rank)


def _hits(text: str, folded: str, cal: r.Calendar) -> list[_Hit]:
    taken = bytearray(len(folded))  # 1 where an earlier pattern's phrase is
    hits: list[_Hit] = []
    for pattern, resolve, explicit, needs_cue in PATTERNS:
        for match in pattern.finditer(folded):
            groups = match.groupdict()
            if taken[match.start()] or taken[match.end() - 1]:
                continue
            if groups.get("mon") == "may" and text[match.start("mon")] == "m":
                continue  # "we may", not "in May"
            span = resolve(groups, cal) if resolve else None
            if resolve and span is None:
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            hits.append(_Hit(match.start(), match.end(), span, explicit, needs_cue, groups))
    return sorted(hits, key=lambda hit: hit.start)


def _mention(
    hit: _Hit, cue: Cue, named: _Named | None, phrase: str, cal: r.Calendar
) -> Mention | None:
    cue, span = _own_cue(hit, cue), hit.span
    if span is None:  # a reference: "before then", "after that", "davor"
        if named is None or not _refers(hit.groups.get("ref") or "", cue, named):
            return None
        span, phrase = named.span, named.phrase
    elif hit.needs_cue and cue.kind is Kind.ON and cue.shift is None:
        return None
    day, kind = _place(span, cue, cal)
    within = " ".join((hit.groups.get("within") or "").split())
    deadline = kind in (Kind.BY, Kind.BEFORE) or within.startswith(_WITHIN_DEADLINE)
    return Mention(
        due=_off_weekend(day, deadline, cal.today),
        phrase=phrase,
        explicit=hit.explicit,
        deadline=deadline,
        before=kind is Kind.BEFORE,
        not_before=kind in (Kind.AFTER, Kind.FROM),
        floor=kind in (Kind.AFTER, Kind.FROM) and cue.holds and _near(span, hit, cal),
        after=kind is Kind.AFTER,
        named=span.first,
        start=hit.start,
    )


def _near(span: r.Span, hit: _Hit, cal: r.Calendar) -> bool:
    """Whether a hold on ``span`` is close enough to be about the next touch: a calendar
    date always is; a bare month or quarter ("since July", "desde julio") within a season."""
    return hit.explicit or (span.first - cal.today).days <= FLOOR_HORIZON_DAYS


def _own_cue(hit: _Hit, cue: Cue) -> Cue:
    """The meaning a phrase carries in itself ("90 days prior", "davor", "EOD tomorrow"),
    else ``cue``, the one its words around it give."""
    groups, ref = hit.groups, hit.groups.get("ref") or ""
    if hit.span is None and groups.get("count"):
        later = ref in _LATER or ref == "plus tard"
        return Cue(Kind.ON, shift(groups["count"] or "", groups["unit"] or "", False, later))
    if ref in _OWN_CUE:
        return Cue(_OWN_CUE[ref])
    if groups.get("holiday") and cue.kind is Kind.OVER:
        return Cue(Kind.AFTER, holds=cue.holds)  # "after the long Easter weekend": all of it
    if groups.get("eod") and cue.kind is Kind.ON:
        return Cue(Kind.BY)  # "EOD tomorrow": by tomorrow
    return cue


def _off_weekend(day: date, deadline: bool, today: date) -> date:
    """A weekend day moves to the Monday after; a deadline to the Friday before, if ahead."""
    if deadline and not d.is_business_day(day) and d.previous_business_day(day) >= today:
        return d.previous_business_day(day)
    return d.roll_forward(day)


def _refers(ref: str, cue: Cue, named: _Named) -> bool:
    """Whether a reference word, with its cue, points back to the date ``named``."""
    if cue.kind is Kind.ON and cue.shift is None:
        return False
    if ref in _BARE_REFERENCES and cue.kind not in (Kind.BEFORE, Kind.AFTER) and not cue.shift:
        return False
    # "We met Monday. After that, she sent the deck" tells the order of past events.
    return not (cue.opens_clause and cue.kind is Kind.AFTER and not named.trusted)


def _place(span: r.Span, cue: Cue, cal: r.Calendar) -> tuple[date, Kind]:
    """The day ``cue`` makes of ``span``, and the cue's kind once resolved."""
    kind = cue.kind
    if kind is Kind.OVER:
        kind = Kind.AFTER if span.first == span.last else Kind.FROM
    if cue.shift is not None:  # "two weeks after go-live": from then on
        day, kind = _shifted(span, cue.shift, cal), Kind.FROM if cue.shift.later else Kind.BY
    elif kind is Kind.BY:
        day = span.by
    elif kind is Kind.BEFORE:
        day = d.previous_working_day(span.first, cal.country)
    elif kind is Kind.AFTER:
        day = d.next_working_day(span.last, cal.country)
    else:
        day = span.first
    return max(day, cal.today), kind


def _shifted(span: r.Span, offset: Shift, cal: r.Calendar) -> date:
    base = span.last if offset.later else span.first
    count = offset.count if offset.later else -offset.count
    if offset.business:
        return d.add_working_days(base, count, cal.country)
    if offset.unit == "month":
        return d.add_months(base, count)
    if offset.unit == "week" and count == 0:  # the Monday of the week after, or before
        return d.monday_after(base) - timedelta(weeks=0 if offset.later else 2)
    days = {"week": 7 * count, "hour": int(count / 24)}.get(offset.unit, count)
    return base + timedelta(days=days)


def _rank(mention: Mention) -> tuple[int, int]:
    if mention.deadline:
        return 0, mention.due.toordinal()
    if mention.not_before:  # every "not before" holds: the latest of them
        return 1, -mention.due.toordinal()
    return 2, mention.due.toordinal()
