"""Business-day arithmetic on the account's calendar dates: Monday to Friday.

Dates a rep is given are due at the end of a working day (``DUE_HOUR``) and work on them
starts at the beginning of one (``START_HOUR``), both in the HubSpot account's time zone:
17:00 means 17:00 where the account works, whatever UTC says.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from importlib.resources import files

import holidays

DUE_HOUR = 17
START_HOUR = 9


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def roll_forward(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def next_weekday(day: date, weekday: int) -> date:
    """The first date strictly after ``day`` that falls on ``weekday`` (0 is Monday)."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later, clamped to that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_business_day_of_month(year: int, month: int) -> date:
    # Rolling a month's end forward would land in the next month, so step back instead.
    day = date(year, month, calendar.monthrange(year, month)[1])
    return day if is_business_day(day) else previous_business_day(day)


def end_of_quarter(day: date, quarter: int | None = None) -> date:
    """Last business day of ``quarter`` (1-4; the current one when None), never in the past."""
    if quarter is None:
        end = last_business_day_of_month(day.year, (day.month - 1) // 3 * 3 + 3)
        return end if end >= day else end_of_quarter(add_months(day.replace(day=1), 3))
    end = last_business_day_of_month(day.year, quarter * 3)
    return end if end >= day else last_business_day_of_month(day.year + 1, quarter * 3)


def at_hour(day: date, hour: int, zone: tzinfo = UTC) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone`` (a wall-clock time, daylight saving included)."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def in_zone(moment: datetime, zone: tzinfo = UTC) -> datetime:
    """The same instant on ``zone``'s clock; a naive timestamp is taken to be UTC."""
    return (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment).astimezone(zone)


def is_working_day(day: date, country: str | None) -> bool:
    """A business day that is no public holiday in ``country`` (weekends only when None)."""
    return is_business_day(day) and day not in public_holidays(country, day.year)


def next_working_day(day: date, country: str | None) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, country: str | None) -> date:
    """The last working day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int, country: str | None) -> date:
    """``count`` working days after ``day`` (``day`` itself need not be one); negative goes back."""
    step = next_working_day if count >= 0 else previous_working_day
    for _ in range(abs(count)):
        day = step(day, country)
    return day


@cache
def public_holidays(country: str | None, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the library does not cover
        return frozenset()


@cache
def country_of_zone(zone_name: str) -> str | None:
    """The country an IANA time zone belongs to (tzdata's zone.tab), for its holidays."""
    table = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    for line in table.splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3 and fields[2] == zone_name:
            return fields[0]
    return None
