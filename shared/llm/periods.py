"""Turn the parts of a matched period phrase into the days it spans: weeks, months, quarters,
years, ISO calendar weeks and the holidays people plan around.

A period is read from its first day ("in February": the 1st) and a deadline on a quarter
or a calendar week from its last ("by Q3"). A part of a period is one day: early is its
first, mid the middle (a week's Wednesday; a month's middle week's, the week of the 15th),
late three quarters in (a month's 20th), the end its last business day. A month that ended
within the last few months is a reference to the past, one that ended longer ago is next
year's; a quarter, week or holiday that has ended is always the next one.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter

from shared.llm import dates as d
from shared.llm import words as w
from shared.llm.resolvers import RECENT_PAST_DAYS, Calendar, Groups, Span

EARLY, MID, LATE, END = range(4)
_PARTS = {
    **dict.fromkeys(("early", "beginning", "start", "principios", "inicios", "comienzos"), EARLY),
    **dict.fromkeys(("anfang", "debut"), EARLY),
    **dict.fromkeys(("mid", "middle", "mediados", "mitte", "mi", "milieu"), MID),
    **dict.fromkeys(("late", "finales", "fines"), LATE),
    **dict.fromkeys(("end", "final", "fin", "ende", "cierre"), END),
    **dict.fromkeys(("first week", "primera semana", "premiere semaine"), EARLY),
    **dict.fromkeys(("erste woche", "ersten woche"), EARLY),
    **dict.fromkeys(("last week", "ultima semana", "derniere semaine"), LATE),
    **dict.fromkeys(("letzte woche", "letzten woche"), LATE),
}
_ORDINALS = {"first": 1, "primer": 1, "premier": 1, "erst": 1, "second": 2, "segundo": 2}
_ORDINALS |= {"deuxieme": 2, "zweit": 2, "third": 3, "tercer": 3, "troisieme": 3, "dritt": 3}
_ORDINALS |= {"fourth": 4, "cuarto": 4, "quatrieme": 4, "viert": 4}
# Quarter first: "trimestre" holds "mes".
_UNITS = {
    "quarter": ("quarter", "trimestre", "quartal", "eoq"),
    "week": ("week", "seman", "semain", "woche", "eow"),
}
_UNITS |= {"month": ("month", "mes", "monat", "mois", "eom"), "year": ("year", "ano", "jahr", "an")}


def _pick(first: date, last: date, part: str | None, by_last: bool = False) -> Span:
    """The whole period, or the one day ``part`` ("early", "Mitte", "fin"...) names in it."""
    which = _PARTS.get(" ".join((part or "").split()))
    if which is None:
        return Span.period(first, last, by_last)
    length = (last - first).days
    if which == END:
        day = last if d.is_business_day(last) else d.previous_business_day(last)
    elif which == EARLY:
        day = first
    elif length < 7:  # a working week: Wednesday, Thursday
        day = first + timedelta(days=which + 1)
    elif length < 31 and which == MID:  # the middle of the month's middle week
        middle = first.replace(day=15)
        day = middle - timedelta(days=middle.weekday()) + timedelta(days=2)
    elif length < 31:
        day = first.replace(day=20)
    else:
        day = first + (last - first) * (which + 1) / 4
    return Span.day(day)


def _year(g: Groups) -> int | None:
    """The year written out in full, if the text gave one."""
    return int(g.get("y") or 0) or None


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month(g: Groups, cal: Calendar) -> Span:
    """``in February``, ``mid-January``, ``Anfang Februar``, ``fin mars``, ``end of May``."""
    number, today = w.MONTH_NAMES[g["mon"] or ""], cal.today
    year = _year(g) or today.year
    first, last = _month(year, number)
    if not g.get("y") and last < today - timedelta(days=RECENT_PAST_DAYS):
        first, last = _month(year + 1, number)
    return _pick(first, last, g.get("part"))


def next_period(g: Groups, cal: Calendar) -> Span:
    """``next week``, ``early next month``, ``Ende nächster Woche``, ``l'année prochaine``."""
    unit, today = _unit(g["period"] or ""), cal.today
    if unit == "week":
        first = d.monday_after(today)
        return _pick(first, first + timedelta(days=4), g.get("part"))
    if unit == "month":
        return _pick(*_month(*_ym(d.add_months(today.replace(day=1), 1))), g.get("part"))
    if unit == "quarter":
        start = d.add_months(today.replace(day=1), 3 - (today.month - 1) % 3)
        last = _month(*_ym(d.add_months(start, 2)))[1]
        return _pick(start, last, g.get("part"), by_last=True)
    return _pick(date(today.year + 1, 1, 1), date(today.year + 1, 12, 31), g.get("part"))


def this_period_end(g: Groups, cal: Calendar) -> Span:
    """``end of the week`` (its Friday), ``fin de mes``, ``Quartalsende``, ``end of year``."""
    unit, today = _unit(g["period"] or ""), cal.today
    if unit == "week":
        return Span.day(d.next_weekday(today - timedelta(days=1), 4))
    if unit == "quarter":
        return Span.day(d.end_of_quarter(today))
    month_end = d.last_business_day_of_month(today.year, 12 if unit == "year" else today.month)
    if month_end < today:
        return _pick(*_month(*_ym(d.add_months(today.replace(day=1), 1))), "end")
    return Span.day(month_end)


def quarter(g: Groups, cal: Calendar) -> Span:
    """``Q3``, ``end of Q3``, ``early Q1 2027``, ``T1``, ``3. Quartal``, ``premier trimestre``."""
    number = int(g.get("quarter") or g.get("qdigit") or 0) or _ORDINALS[_stem(g["qword"] or "")]
    year = _year(g) or (2000 + int(yy) if (yy := g.get("yy")) else None)
    first, last = _quarter(year or cal.today.year, number)
    if year is None and last < cal.today:
        first, last = _quarter(cal.today.year + 1, number)
    return _pick(first, last, g.get("part"), by_last=True)


def half(g: Groups, cal: Calendar) -> Span:
    """``H2``, ``early H1 2027``: January to June, or July to December."""
    months = (1, 6) if g["half"] == "1" else (7, 12)
    year = _year(g) or cal.today.year
    first, last = _month(year, months[0])[0], _month(year, months[1])[1]
    if not g.get("y") and last < cal.today:
        first, last = first.replace(year=year + 1), last.replace(year=year + 1)
    return _pick(first, last, g.get("part"), by_last=True)


def _quarter(year: int, number: int) -> tuple[date, date]:
    return date(year, 3 * number - 2, 1), _month(year, 3 * number)[1]


def iso_week(g: Groups, cal: Calendar) -> Span | None:
    """``KW 37``, ``week 37``, ``semana 37``: Monday to Friday of that ISO week."""
    year = _year(g) or cal.today.isocalendar().year
    for candidate in (year,) if g.get("y") else (year, year + 1):
        try:
            monday = date.fromisocalendar(candidate, int(g["isoweek"] or 0), 1)
        except ValueError:  # week 0, week 54
            return None
        if monday + timedelta(days=4) >= cal.today:
            break
    return Span.period(monday, monday + timedelta(days=4), by_last=True)


def holiday(g: Groups, cal: Calendar) -> Span | None:
    """``after Easter``, ``nach Ostern``, ``antes de Navidad``, ``après les fêtes``."""
    bounds = _HOLIDAYS.get(g["holiday"] or "")
    if bounds is None:
        return None
    # From last year: "after the holidays" read on January 1st is this week's holidays.
    for year in (cal.today.year - 1, cal.today.year, cal.today.year + 1):
        first, last = bounds(year)
        if last >= cal.today:
            return Span.period(first, last)
    return None


BRIDGE_SEARCH_DAYS = 75
# A holiday next to a weekend, by weekday, and the days of the long weekend it makes: a
# Tuesday or a Thursday takes the Monday or the Friday between as a bridge day.
_BRIDGES = {0: (-2, 0), 1: (-3, 0), 3: (0, 3), 4: (0, 2)}


def bridge(g: Groups, cal: Calendar) -> Span | None:
    """``el puente`` (``de diciembre``): the next long weekend a public holiday makes in the
    account's country, from the weekend to the holiday; None without a country's calendar."""
    month = w.MONTH_NAMES.get(g.get("mon") or "")
    for offset in range(BRIDGE_SEARCH_DAYS):
        day = cal.today + timedelta(days=offset)
        if month is not None and day.month != month:
            continue
        if day not in d.public_holidays(cal.country, day.year) or day.weekday() not in _BRIDGES:
            continue
        before, after = _BRIDGES[day.weekday()]
        return Span.period(day + timedelta(days=before), day + timedelta(days=after))
    return None


def _easter(year: int) -> tuple[date, date]:  # Good Friday to Easter Monday
    return easter(year) - timedelta(days=2), easter(year) + timedelta(days=1)


def _thanksgiving(year: int) -> tuple[date, date]:  # the fourth Thursday of November, and Friday
    thursday = d.next_weekday(date(year, 10, 31), 3) + timedelta(weeks=3)
    return thursday, thursday + timedelta(days=1)


def _names(
    names: str, bounds: Callable[[int], tuple[date, date]]
) -> dict[str, Callable[[int], tuple[date, date]]]:
    return dict.fromkeys(names.split(","), bounds)


_HOLIDAYS: dict[str, Callable[[int], tuple[date, date]]] = {
    **_names("easter,ostern,pascua,paques", _easter),
    **_names(
        "pfingsten,whitsun,whitsuntide,pentecost,pentecostes,pentecote",
        lambda y: (easter(y) + timedelta(days=49), easter(y) + timedelta(days=50)),
    ),
    **_names("semana santa", lambda y: (easter(y) - timedelta(days=7), easter(y))),
    **_names(
        "christmas,xmas,weihnachten,navidad,noel", lambda y: (date(y, 12, 24), date(y, 12, 26))
    ),
    **_names(
        "the holidays,las fiestas,las navidades,les fetes,den feiertagen,die feiertage",
        lambda y: (date(y, 12, 24), date(y + 1, 1, 1)),
    ),
    **_names(
        "the new year,new year,new year's,neujahr,ano nuevo,nouvel an,jour de l'an",
        lambda y: (date(y, 1, 1), date(y, 1, 1)),
    ),
    **_names("reyes,dia de reyes", lambda y: (date(y, 1, 6), date(y, 1, 6))),
    **_names("thanksgiving", _thanksgiving),
    **_names(
        "the summer,summer,el verano,verano,den sommer,dem sommer,der sommerpause,sommerpause"
        ",den sommerferien,l'ete",
        lambda y: (date(y, 7, 1), date(y, 8, 31)),
    ),
    **_names("la rentree,rentree", lambda y: (date(y, 9, 1), date(y, 9, 1))),
}
HOLIDAY_NAMES = tuple(_HOLIDAYS)


def _unit(text: str) -> str:
    return next((u for u, stems in _UNITS.items() if any(s in text for s in stems)), "year")


def _stem(word: str) -> str:
    """``ersten``, ``dritte``: the German ordinal's stem; other words as they are."""
    if word.startswith(("erst", "zweit", "dritt", "viert")):
        return word.rstrip("enmrs") if not word.startswith("erst") else "erst"
    return word


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month
