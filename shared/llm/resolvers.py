"""Turn the parts of a matched day phrase into the days it names, on the account's calendar.

Each resolver takes the phrase's named groups (folded, see ``words``) and the ``Calendar``
the text was written on, and returns a ``Span``, or None when the parts make no real date.
Periods (weeks, months, quarters, holidays) are in ``periods``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.llm import dates as d
from shared.llm import words as w

Groups = dict[str, str | None]

# An undated "March 3" at most this far back is a day that has passed, not next year's.
RECENT_PAST_DAYS = 90
# Where 3/4 is March 4; elsewhere it is 3 April. No country: the US reading, as before.
MONTH_FIRST = {None, "US", "CA", "PH"}
_TOMORROW = {"tomorrow", "manana", "morgen", "demain"}
_TODAY = {"today", "hoy", "heute", "aujourd'hui"}
_NEXT = {"next", "proximo", "prochain", "viene"}


@dataclass(frozen=True)
class Calendar:
    """The day a text was written and the country whose public holidays are days off."""

    today: date
    country: str | None = None
    event: date | None = None  # the day of the meeting ahead the text may refer to

    @property
    def day_first(self) -> bool:
        return self.country not in MONTH_FIRST


@dataclass(frozen=True)
class Span:
    """The days a phrase names. A deadline on a period means ``by`` ("by Q3": its last day)."""

    first: date
    last: date
    by: date

    @classmethod
    def day(cls, day: date) -> Span:
        return cls(day, day, day)

    @classmethod
    def period(cls, first: date, last: date, by_last: bool = False) -> Span:
        return cls(first, last, last if by_last else first)


def relative(g: Groups, cal: Calendar) -> Span:
    """``in 3 days``, ``within two weeks``, ``in 3 business days``, ``dans 48 heures``."""
    count, unit = w.number(g["count"] or "1"), w.UNITS.get(g["unit"] or "", "day")
    if g.get("business") or g.get("business2") or g["unit"] in w.BUSINESS_UNITS:
        return Span.day(d.add_working_days(cal.today, count, cal.country))
    if unit == "month":
        return Span.day(d.add_months(cal.today, count))
    days = count // 24 if unit == "hour" else count * (7 if unit == "week" else 1)
    return Span.day(cal.today + timedelta(days=days))


def month_day(g: Groups, cal: Calendar) -> Span | None:
    """An explicit date. Without a year, a date in the last few months is one that has passed;
    an earlier one is next year's ("Jan 15" written in December)."""
    month = w.MONTHS[name] if (name := g.get("mon")) else int(g["m"] or 0)
    return _dated(g.get("y"), month, int(g["d"] or 0), cal.today)


def month_range(g: Groups, cal: Calendar) -> Span | None:
    """``March 9-13``, ``del 9 al 13 de marzo``, ``9.-13. März``: those days."""
    start = month_day(g, cal)
    if start is None:
        return None
    try:
        last = start.first.replace(day=int(g["d2"] or 0))
    except ValueError:
        return None
    return Span.period(start.first, last) if last >= start.first else None


def numeric(g: Groups, cal: Calendar) -> Span | None:
    """``3/17`` or ``17/03/2026``: day first outside the US, or when the first is over 12."""
    first, second = int(g["a"] or 0), int(g["b"] or 0)
    day_first = first > 12 or (cal.day_first and second <= 12)
    month, day = (second, first) if day_first else (first, second)
    return _dated(g.get("y"), month, day, cal.today)


def _dated(year_text: str | None, month: int, day_number: int, today: date) -> Span | None:
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000
    try:
        day = date(year or today.year, month, day_number)
        if year is None and day < today - timedelta(days=RECENT_PAST_DAYS):
            day = date(today.year + 1, month, day_number)
    except ValueError:  # 2/30, 24/7 and the like are not dates
        return None
    return Span.day(day)


def ordinal(g: Groups, cal: Calendar) -> Span | None:
    """``the 15th``, ``Monday the 7th``, ``el 15``, ``am 15.``: the next such day of a month
    that has not passed (and falls on the weekday named, when one is)."""
    weekday = w.WEEKDAYS.get(g.get("weekday") or "")
    month_start = cal.today.replace(day=1)
    for months in range(12 if weekday is not None else 3):
        try:
            day = d.add_months(month_start, months).replace(day=int(g["d"] or 0))
        except ValueError:  # no 31st this month
            continue
        if day >= cal.today and weekday in (None, day.weekday()):
            return Span.day(day)
    return None


def weekday(g: Groups, cal: Calendar) -> Span:
    """``Friday`` and ``this Friday``: the coming one; ``next Friday``: the Friday of next week."""
    day = d.next_weekday(cal.today, w.WEEKDAYS[g["weekday"] or ""])
    if any(_means_next(g.get(group)) for group in ("which", "which2")):
        day = max(day, d.monday_after(cal.today) + timedelta(days=day.weekday()))
    return Span.day(day)


def _means_next(word: str | None) -> bool:
    """ "next", "el próximo", "nächsten", "prochain", "que viene": of next week."""
    last = (word or "").split()[-1:] or [""]
    return last[0] in _NEXT or last[0].startswith(("nachst", "naechst"))


def weekday_next_week(g: Groups, cal: Calendar) -> Span:
    """``Tuesday next week``, ``Dienstag nächster Woche``, ``mardi de la semaine prochaine``."""
    return Span.day(d.monday_after(cal.today) + timedelta(days=w.WEEKDAYS[g["weekday"] or ""]))


def day_word(g: Groups, cal: Calendar) -> Span:
    """``tomorrow``, ``today`` or a weekday, in any of the languages (``EOD tomorrow``)."""
    word = g["day"] or ""
    if word in _TOMORROW:
        return Span.day(cal.today + timedelta(days=1))
    if word in _TODAY:
        return Span.day(cal.today)
    return weekday({"weekday": word}, cal)


def next_working_day(_g: Groups, cal: Calendar) -> Span:
    """``next business day``, ``nächster Werktag``, ``próximo día hábil``."""
    return Span.day(d.next_working_day(cal.today, cal.country))


def after_tomorrow(_g: Groups, cal: Calendar) -> Span:
    return Span.day(cal.today + timedelta(days=2))


def tomorrow(_g: Groups, cal: Calendar) -> Span:
    return Span.day(cal.today + timedelta(days=1))


def event(_g: Groups, cal: Calendar) -> Span | None:
    """``before the meeting``, ``3 business days before we're onsite``, ``antes de la demo``:
    the meeting the activity books, when it is still ahead."""
    return Span.day(cal.event) if cal.event else None


def today(_g: Groups, cal: Calendar) -> Span:
    return Span.day(cal.today)
