"""Turn the parts of a matched date phrase into a calendar day, relative to an anchor day.

Each resolver takes the phrase's named groups (lower-cased) and the day the text was
written, and returns the day meant, or None when the parts make no real date.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.llm import dates as d

Groups = dict[str, str | None]

NUMBER = (
    r"\d{1,3}|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|an?|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|eleven|twelve"
)
_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUMBER_WORDS = {word: i for i, word in enumerate((*_WORDS, "eleven", "twelve"), start=1)}
# An undated "March 3" at most this far back is a day that has passed, not next year's.
_RECENT_PAST_DAYS = 90
_MONTH_PREFIXES = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)


def parse_number(text: str) -> int:
    words = text.split()
    if words[-1].isdigit():
        return int(words[-1])
    if "couple" in words:
        return 2
    if "few" in words:
        return 3
    return _NUMBER_WORDS.get(words[-1], 1)  # "a", "an"


def relative(g: Groups, anchor: date) -> date:
    """``in 3 days``, ``within two weeks``, ``in 3 business days``, ``in a month``."""
    count, unit = parse_number(g["count"] or "1"), g["unit"]
    if unit == "month":
        return d.add_months(anchor, count)
    if unit == "week":
        return anchor + timedelta(weeks=count)
    return d.add_business_days(anchor, count) if g["business"] else anchor + timedelta(count)


def month_day(g: Groups, anchor: date) -> date | None:
    """An explicit date. Without a year, a date in the last few months is a reference to the
    past (None); an earlier one is next year's ("Jan 15" written in December)."""
    year = int(g["y"]) if g.get("y") else None
    if year is not None and year < 100:
        year += 2000
    try:
        day = date(year or anchor.year, _month_number(g), int(g["d"] or 0))
        if year is None and day < anchor - timedelta(days=_RECENT_PAST_DAYS):
            day = date(anchor.year + 1, day.month, day.day)
    except ValueError:  # 2/30, 24/7 and the like are not dates
        return None
    return day


def weekday(g: Groups, anchor: date) -> date:
    day = d.next_weekday(anchor, d.WEEKDAYS.index(g["weekday"] or ""))
    if g["which"] == "next" and day < d.monday_after(anchor):
        day += timedelta(days=7)
    return day


def end_of_week(_g: Groups, anchor: date) -> date:
    if anchor.weekday() < 5:
        return anchor + timedelta(days=4 - anchor.weekday())
    return d.next_weekday(anchor, 4)


def end_of_month(_g: Groups, anchor: date) -> date:
    end = d.last_business_day_of_month(anchor.year, anchor.month)
    if end >= anchor:
        return end
    following = d.add_months(anchor.replace(day=1), 1)
    return d.last_business_day_of_month(following.year, following.month)


def end_of_named_month(g: Groups, anchor: date) -> date:
    """``end of May``: this year's, or next year's once this year's has passed."""
    month = _month_number(g)
    end = d.last_business_day_of_month(anchor.year, month)
    return end if end >= anchor else d.last_business_day_of_month(anchor.year + 1, month)


def end_of_quarter(g: Groups, anchor: date) -> date:
    return d.end_of_quarter(anchor, int(g["quarter"]) if g.get("quarter") else None)


def end_of_year(_g: Groups, anchor: date) -> date:
    return d.last_business_day_of_month(anchor.year, 12)


def _month_number(g: Groups) -> int:
    if g.get("mon"):
        return _MONTH_PREFIXES.index((g["mon"] or "")[:3]) + 1
    return int(g["m"] or 0)
