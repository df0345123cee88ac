"""What the words around a date make of it, in English, Spanish, German and French.

"by Friday" and "bis Freitag" are deadlines; "before the 12th" is the working day before;
"after the board meeting on the 12th" and "nach Ostern" the working day after; "from",
"back on", "ab", "à partir du" mean on or after; "60 days before the renewal on June 30"
shifts the date. "Until" depends on the clause: someone *out* until the 7th is back after
it, a budget *frozen* until Q1 thaws when Q1 starts, and "valid until the 31st" is a
deadline. All of it is read on folded text (see ``words``), within the date's own clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from shared.llm import words as w


class Kind(Enum):
    ON = "on"  # the day itself
    BY = "by"  # a deadline
    BEFORE = "before"  # the working day before
    AFTER = "after"  # the working day after
    FROM = "from"  # on or after the day
    # Once it is over: the working day after a day, the first day of a period. Someone out
    # until the 7th, or something after an event on the 12th; out until Q1, after an event
    # in April (some day in it).
    OVER = "over"


@dataclass(frozen=True)
class Shift:
    """``60 days before``, ``two weeks after``, ``la veille``: a distance from the date. A
    count of 0 weeks is the whole week before or after ("the week after Thanksgiving")."""

    count: int
    unit: str
    business: bool
    later: bool


@dataclass(frozen=True)
class Cue:
    kind: Kind = Kind.ON
    shift: Shift | None = None
    opens_clause: bool = False  # "After that, we ..." rather than "call me after that"
    # Said of someone's availability or a hold ("out until", "back on", "not before",
    # "ab", "frozen until"): a floor on any follow-up, whichever sentence names it.
    holds: bool = False


_BY = (
    r"by|no\s+later\s+than|not\s+later\s+than|due(?:\s+(?:on|by|date(?:\s+is)?))?|deadline"
    r"(?:\s+(?:is|of))?|latest\s+by|para|a\s+mas\s+tardar|como\s+(?:muy\s+)?tarde|plazo"
    r"(?:\s+(?:es|hasta))?|fecha\s+limite(?:\s+es)?|spae?testens(?:\s+(?:am|bis))?"
    r"|bis\s+spae?testens|frist(?:\s+ist)?|stichtag(?:\s+ist)?|d'ici|au\s+plus\s+tard|pour"
    r"|date\s+limite(?:\s+(?:est|le))?|echeance|eod|eob|cob|end\s+of\s+(?:the\s+)?day"
    r"|close\s+of\s+business"
)
_UNTIL = r"until|till|til|through|thru|hasta|bis|jusqu'|jusque"
_BEFORE = (
    r"before|ahead\s+of|prior\s+to|in\s+time\s+for|in\s+advance\s+of|antes(?:\s+de)?"
    r"|previo\s+a|vor|noch\s+vor|bevor|avant|en\s+amont\s+d[eu]"
)
_AFTER = (
    r"after|(?<!the\s)following|despues(?:\s+de)?|tras|nach|im\s+anschluss\s+an|apres|a\s+l'issue\s+d[eu']"
    r"|suite\s+a"
)
_FROM = (
    r"from|starting(?:\s+(?:on|from))?|as\s+of|beginning|effective|not\s+before|no\s+earlier"
    r"\s+than|not\s+until|earliest(?:\s+on)?|a\s+partir(?:\s+de)?|desde|no\s+antes(?:\s+de)?"
    r"|ab|frue?hestens(?:\s+(?:am|ab))?|nicht\s+vor|erst(?:\s+(?:am|ab))?|a\s+partir(?:\s+d[eu])?"
    r"|des|pas\s+avant|au\s+plus\s+tot"
)
# The "from" words that hold someone back, not just start a range ("starting July 1").
_FLOOR_FROM = re.compile(
    r"not\s+before|no\s+earlier|not\s+until|earliest|no\s+antes|frue?hestens|nicht\s+vor|erst"
    r"|pas\s+avant|au\s+plus\s+tot"
)
# Leaving on a day: "je pars en congés le 17", "she leaves on vacation Friday": before it.
_DEPART = re.compile(
    r"\b(?:leav(?:e|es|ing)|heading|off\s+to|me\s+voy|se\s+va|salgo|sale|fahre|fahrt|gehe"
    r"|geht|verreise|pars|part|partons|partira?)\b"
)
_BE = r"(?:be|is|am|are|i'm|im|she's|he's|they're|we're|'ll\s+be|will\s+be|ist|bin|sind)"
_BACK = (
    rf"(?:(?:^|\b{_BE})\s*)back(?:\s+in\s+(?:the\s+)?office|\s+at\s+work)?(?:\s+on)?"
    r"|\breturns?(?:\s+on)?|\breturning(?:\s+on)?|\bde\s+vuelta|\bvuelve|\bvuelvo|\bregresa"
    r"|\bregreso|\bse\s+reincorpora|\bzuru?e?ck|\bwieder\s+(?:da|im\s+bue?ro|erreichbar)"
    r"|\bde\s+retour|\brevient|\brentre|\breviendra"
)
_AWAY = (
    rf"\b{_BE}\s+(?:out|away|off)(?:\s+of\s+(?:the\s+)?office)?|\booo|\boof"
    r"|\bon\s+(?:pto|leave|vacation|holidays?|(?:parental|maternity|paternity)\s+leave)"
    r"|\btravell?ing|\bde\s+vacaciones|\bde\s+viaje|\bfuera\s+de\s+la\s+oficina|\bde\s+baja"
    r"|\bim\s+urlaub|\ben\s+conges|\ben\s+vacances|\ben\s+deplacement"
)
_ARTICLE = (
    r"(?:(?:the|a|an|our|their|your|my|this|el|la|los|las|al|del|lo|der|die|das|dem|den|des"
    r"|zum|zur|le|les|du|au|aux|un|una|une|ein|eine|einem|einer|einen)\s+|l'|d')*"
)
_TIME = (
    r"(?:(?:eod|eob|cob|end\s+of\s+(?:the\s+)?(?:business\s+)?day|close\s+of\s+(?:business|play)"
    r"|noon|midday|lunch(?:time)?|first\s+thing|the\s+morning|the\s+afternoon"
    r"|\d{1,2}(?::\d{2})?\s*(?:am|pm|uhr|h)|\d{1,2}:\d{2})\s*,?\s*(?:on\s+|of\s+|el\s+|am\s+)?)"
)
# Words a gap between a cue and its date ("after the board meeting on") never holds.
_STOP = (
    rf"(?:{_BY}|{_UNTIL}|{_BEFORE}|{_AFTER}|{_FROM}|and|or|but|then|so|we|i|you|they|she|he|it"
    r"|to|y|o|pero|que|und|oder|aber|dass|et|ou|mais|qui|nous|je|il|elle|wir|ich|sie|er)\b"
)
_GAP = rf"(?:(?!{_STOP})[^\W\d_][\w'-]*[,:]?\s+){{1,5}}"
_UNIT = w.alternation([*w.UNITS, *w.BUSINESS_UNITS])
_SHIFT = (
    rf"(?P<count>{w.NUMBER}|the|el|la|le|am|die|der|un|une|einen|einem)\s+"
    r"(?P<business>business\s+|working\s+)?"
    rf"(?P<unit>{_UNIT})(?:\s+(?P<business2>habiles|laborables|ouvres|ouvrables))?"
    rf"\s+(?:(?P<earlier>{_BEFORE})|{_AFTER}|from)"
)
_CUE = re.compile(
    rf"(?:\b(?P<shift>{_SHIFT})|\b(?P<veille>la\s+veille|le\s+lendemain)\s+d[eu']?"
    rf"|\b(?P<from>{_FROM})|(?P<back>{_BACK})|(?P<away>{_AWAY})|\b(?P<until>{_UNTIL})"
    rf"|\b(?P<before>{_BEFORE})|\b(?P<after>{_AFTER})|\b(?P<by>{_BY}))"
    rf"(?:\s*:\s*|\s+|(?<='))(?:(?P<time>{_TIME})|(?P<gap>{_GAP}))??\(?{_ARTICLE}$"
)
_GAPPED = {"shift", "before", "after", "until", "back"}
_KINDS = {"from": Kind.FROM, "back": Kind.FROM, "away": Kind.AFTER, "before": Kind.BEFORE}
_KINDS |= {"after": Kind.AFTER, "by": Kind.BY}
# After the date: "Friday at the latest", "am 7. frühestens", "nächste Woche im Urlaub".
_POSTFIX = re.compile(
    r"^\s*,?\s*(?:(?P<by>at\s+the\s+latest|latest|a\s+mas\s+tardar|como\s+(?:muy\s+)?tarde"
    r"|spae?testens|au\s+plus\s+tard|dernier\s+delai)|(?P<from>at\s+the\s+earliest|earliest"
    r"|como\s+(?:muy\s+)?pronto|frue?hestens|au\s+plus\s+tot)|(?P<away>im\s+urlaub|abwesend"
    r"|nicht\s+im\s+bue?ro|unterwegs|verreist|auf\s+reisen|de\s+vacaciones|fuera\s+de\s+la"
    r"\s+oficina|en\s+conges|en\s+vacances|absente?|on\s+vacation|on\s+pto|off|out\s+of"
    r"\s+(?:the\s+)?office))\b"
)
# Whoever is away "until" a day is back after it; waiting, a freeze or a "not" lifts on it.
_UNTIL_CONTEXT = re.compile(
    r"\b(?:(?P<absent>no\s+disponible|nicht\s+im\s+bue?ro|nicht\s+erreichbar|au(?:ss|ß)er\s+haus"
    r"|arret\s+maladie|out|away|off|ooo|oof|pto|leave|vacation\w*|holidays?|travel\w*|trip"
    r"|unavailable|offline|off-?site|conference|sick|parental|paternity|maternity|busy"
    r"|meetings|fuera|vacaciones|viaje|ausente|baja|permiso|urlaub|abwesend|unterwegs|verreist"
    r"|reisen|dienstreise|krank|elternzeit|absente?|conges|vacances|deplacement|indisponible)"
    r"|(?P<wait>hold(?:ing)?\s+off|on\s+hold|wait\w*|hold|paused?|frozen|freeze|not|\w+n't|no"
    r"|won't|cannot|nothing|blocked|back|esperar|espera\w*|congelad\w*|en\s+pausa|pausad\w*"
    r"|nada|vuelve|regresa|warten|eingefroren|auf\s+eis|pausiert|nicht|kein\w*|erst|zuru?e?ck"
    r"|attendre|attend\w*|gele\w*|en\s+pause|suspendu\w*|pas|rien|retour))\b"
)
_NEGATION = re.compile(
    r"\b(?:not|never|nothing|no|\w+n't|won't|nada|nunca|nicht|nie|nichts|kein\w*|pas|rien|jamais)\b"
)
_FORGET = re.compile(r"\b(?:forget|olvid\w*|vergess\w*|oubli\w*)\b")  # "don't forget to"
_ARTICLES = {"the", "el", "la", "le", "die", "der"}
_BOUNDARY = re.compile(r"[.!?;](?=\s|$)|\n")
_WINDOW = 100


def read_cue(text: str, start: int, end: int) -> Cue:
    """The cue for the date at ``text[start:end]`` (folded text) from its clause."""
    before, after = _clause_before(text, start), _clause_after(text, end)
    match = _CUE.search(before)
    cue = _cue(match, before, after) if match else Cue()
    if cue.kind is Kind.ON and cue.shift is None and (post := _POSTFIX.match(after)):
        kind = next(name for name, value in post.groupdict().items() if value)
        return Cue(_KINDS[kind], holds=kind != "by")
    return cue


def _cue(match: re.Match[str], before: str, after: str) -> Cue:
    name = next(name for name in ("shift", "veille", *_KINDS, "until") if match.group(name))
    if match.group("gap") and name not in _GAPPED:
        return Cue()
    opens = not before[: match.start()].strip()
    if name in ("shift", "veille"):
        return Cue(Kind.ON, _shift(match), opens_clause=opens)
    kind = _until(before[: match.start()], after) if name == "until" else _KINDS[name]
    if name == "away" and _DEPART.search(before[: match.start()]):
        return Cue(Kind.BEFORE, opens_clause=opens)
    holds = name in ("back", "away", "until") or bool(
        name == "from" and _FLOOR_FROM.match(match.group("from"))
    )
    if kind is Kind.BEFORE and _negated(before[: match.start()]):
        kind, holds = Kind.FROM, True  # "we won't sign before the 15th", "nothing before then"
    if match.group("time"):  # "before noon on Friday" is on Friday, "after 3pm Monday" too
        kind = {Kind.BEFORE: Kind.BY, Kind.AFTER: Kind.FROM}.get(kind, kind)
    elif match.group("gap") and kind is Kind.AFTER:  # after an event on that day, in that month
        kind = Kind.OVER
    return Cue(kind, opens_clause=opens, holds=holds)


def _shift(match: re.Match[str]) -> Shift:
    if match.group("veille"):
        return Shift(1, "day", False, later=match.group("veille").startswith("le"))
    business = bool(match.group("business") or match.group("business2"))
    return shift(match.group("count"), match.group("unit"), business, not match.group("earlier"))


def shift(count: str, unit: str, business: bool, later: bool) -> Shift:
    """The shift a count and a unit name ("60", "days"; "the", "week"), later or earlier."""
    whole_week = w.UNITS.get(unit) == "week" and count in _ARTICLES  # "the week after"
    return Shift(
        0 if whole_week else w.number(count),
        w.UNITS.get(unit, "day"),
        business or unit in w.BUSINESS_UNITS,
        later,
    )


def _until(before: str, after: str) -> Kind:
    """An "until" is a deadline unless its clause says someone is away or something waits."""
    found = list(_UNTIL_CONTEXT.finditer(before)) or list(_UNTIL_CONTEXT.finditer(after))[:1]
    if not found:
        return Kind.BY
    return Kind.OVER if found[-1].group("absent") else Kind.FROM


def _negated(clause: str) -> bool:
    return bool(_NEGATION.search(clause)) and not _FORGET.search(clause)


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - _WINDOW) : start]
    cuts = [match.end() for match in _BOUNDARY.finditer(window)]
    return window[cuts[-1] :].lstrip() if cuts else window


def _clause_after(text: str, end: int) -> str:
    window = text[end : end + _WINDOW]
    cut = _BOUNDARY.search(window)
    return window[: cut.start()] if cut else window
