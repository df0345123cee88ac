"""Date words in English, Spanish, German and French, as the phrase finder sees them.

Phrases are matched on *folded* text: lower case, accents dropped, typographic quotes and
dashes made plain, one character for one, so a position in the folded text is the same
position in the original ("März" is "marz", "próximo" is "proximo").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_PLAIN = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-"}
_PLAIN |= {"\u2014": "-", "\u00a0": " ", "\u202f": " "}


def _fold_table() -> dict[int, str]:
    table = {code: unicodedata.normalize("NFD", chr(code))[0].lower()[:1] for code in range(0x250)}
    return table | {ord(char): plain for char, plain in _PLAIN.items()}


_FOLD = _fold_table()


def fold(text: str) -> str:
    """``text`` in lower case without accents, as long as ``text`` (see the module doc)."""
    return text.translate(_FOLD)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so "sept" wins over "sep"."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _numbered(*names: str) -> dict[str, int]:
    return {name: number for number, group in enumerate(names, start=1) for name in group.split()}


MONTH_NAMES = _numbered(
    "january enero januar janner janvier",
    "february febrero februar fevrier",
    "march marzo marz maerz mars",
    "april abril avril",
    "may mayo mai",
    "june junio juni juin",
    "july julio juli juillet",
    "august agosto aout",
    "september septiembre setiembre septembre",
    "october octubre oktober octobre",
    "november noviembre novembre",
    "december diciembre dezember decembre",
)
# Abbreviations are read only next to a day number ("Mar 3", "3 dic.").
MONTHS = MONTH_NAMES | _numbered(
    "jan ene janv jan",
    "feb fevr",
    "mar",
    "apr abr avr",
    "",
    "jun",
    "jul juil",
    "aug ago",
    "sep sept set",
    "oct okt",
    "nov",
    "dec dic dez",
)
WEEKDAYS = {
    name: number - 1
    for name, number in _numbered(
        "monday lunes montag lundi",
        "tuesday martes dienstag mardi",
        "wednesday miercoles mittwoch mercredi",
        "thursday jueves donnerstag jeudi",
        "friday viernes freitag vendredi",
        "saturday sabado samstag sonnabend samedi",
        "sunday domingo sonntag dimanche",
    ).items()
}
# Short forms reps type in notes ("call Thurs"); not "mon", "sat", "sun": words elsewhere.
WEEKDAYS |= {"tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4}
NUMBER_WORDS = _numbered(
    "a an one un una uno ein eine einen einem einer une",
    "two couple dos zwei deux",
    "three few tres drei trois",
    "four cuatro vier quatre",
    "five cinco funf fuenf cinq",
    "six seis sechs",
    "seven siete sieben",
    "eight ocho acht huit",
    "nine nueve neun neuf",
    "ten diez zehn dix",
    "eleven once elf onze",
    "twelve doce zwolf zwoelf douze",
) | {"fourteen": 14, "catorce": 14, "vierzehn": 14, "quatorze": 14, "quince": 15, "quinze": 15}
# "a couple of", "ein paar", "quelques": a few, read as the number below.
_SOME = r"a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|un\s+par\s+de|unos|unas|algunos|algunas"
_SOME += r"|ein\s+paar|einige[n]?|wenige[n]?|quelques"
NUMBER = rf"\d{{1,3}}|{_SOME}|{alternation(NUMBER_WORDS)}"

UNITS = {
    **dict.fromkeys(("day", "days", "dia", "dias", "tag", "tage", "tagen", "jour", "jours"), "day"),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "semana", "semanas", "woche", "wochen"), "week"),
    **dict.fromkeys(("semaine", "semaines"), "week"),
    **dict.fromkeys(("month", "months", "mo", "mos", "mth", "mths", "mes", "meses"), "month"),
    **dict.fromkeys(("monat", "monate", "monaten"), "month"),
    "mois": "month",
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h", "hora", "horas", "stunde"), "hour"),
    **dict.fromkeys(("stunden", "std", "heure", "heures"), "hour"),
}
BUSINESS_UNITS = ("werktag", "werktage", "werktagen", "arbeitstag", "arbeitstage", "arbeitstagen")
# "business days", "días hábiles", "Werktage", "jours ouvrés".
UNIT = (
    r"(?P<business>business\s+|working\s+|biz\s+)?"
    rf"(?P<unit>{alternation([*UNITS, *BUSINESS_UNITS])})"
    r"(?:\s+(?P<business2>habiles|laborables|ouvres|ouvrables))?\b(?!\s+ago)"
)


def number(text: str) -> int:
    """The count a number phrase names: "3", "two", "a couple of", "quelques"."""
    words = text.split()
    if words[-1].isdigit():
        return int(words[-1])
    if re.fullmatch(_SOME, text):
        return 2 if "couple" in text or "par" in words else 3
    return NUMBER_WORDS.get(words[-1], 1)
