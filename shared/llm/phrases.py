"""The date phrases the finder knows, in English, Spanish, German and French, most specific
first: a span of text taken by one pattern is not read again by a later one.

Each entry is (pattern on folded text, resolver, explicit, needs_cue). *Explicit* phrases are
calendar dates rather than relative ones. A phrase that *needs a cue* counts only after
words that give it a meaning ("after Easter", "until February", "before then"): a bare
"Easter" or "then" commits to nothing. A resolver of None marks a reference to the date
named before it in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shared.llm import periods as p
from shared.llm import resolvers as r
from shared.llm import words as w

Resolver = Callable[[r.Groups, r.Calendar], r.Span | None]

MONTH = w.alternation(w.MONTHS)
MONTH_NAME = w.alternation(w.MONTH_NAMES)
WEEKDAY = w.alternation(w.WEEKDAYS)
_YEAR = r"(?:,?\s+(?:de\s+)?(?P<y>\d{4})\b)?"
_ON_WEEKDAY = (
    rf"(?:(?:{WEEKDAY}|mon|tue|tues|wed|thu|thur|thurs|fri)\.?,?\s+(?:(?:the|el|le|den)\s+)?)?"
)
# A number that is not a day of the month: "the 5th time", "el 15 %", "am 3. Platz".
_NOT_A_DAY = (
    r"(?!\s*(?:%|[:.,/]\d)|\s*(?:h|hrs?|am|pm|uhr|horas?|heures?)\b|\s+(?:times?|rounds?|calls?"
    r"|meetings?|attempts?|grade|floor|place|version|edition|anniversary|percent|por\s*ciento"
    r"|pour\s*cent|prozent|vez|veces|fois|mal|years?|quarters?|weeks?|months?|days?|seats?"
    r"|users?|licen[cs]es?|persons?|people|dias?|semanas?|meses|anos?|usuarios?|licencias?"
    r"|personas?|jours?|semaines?|mois|ans?|annees?|utilisateurs?|personnes?|tage?n?|wochen?"
    r"|monate?n?|jahre?n?|nutzer|lizenzen?|personen|mitarbeiter|quartal|kw|platz|stock|runde"
    r"|de\s+cada)\b)"
)
_EOD = r"eod|eob|cob|end\s+of\s+(?:the\s+)?(?:business\s+)?day|close\s+of\s+(?:business|play)"
_EOD_AFTER = (
    rf"{_EOD}|cierre|final\s+del\s+dia|feierabend|dienstschluss|tagesende"
    r"|fin\s+de\s+(?:la\s+)?journee"
)
_WITHIN = (
    r"in|within|after|over\s+the\s+next|en|dentro\s+de|en\s+(?:los\s+proximos|las\s+proximas)"
    r"|in\s+den\s+nae?chsten"
    r"|innerhalb(?:\s+von|\s+der\s+nae?chsten)?|binnen|nach|dans|sous|d'ici|dans\s+les"
)
_NEXT_WEEK = (
    r"next\s+week|the\s+following\s+week|(?:la\s+)?(?:semana\s+que\s+viene|proxima\s+semana"
    r"|semana\s+proxima)|(?:nae?chste[rn]?|kommende[rn]?)\s+woche|(?:la\s+)?semaine\s+"
    r"(?:prochaine|suivante)"
)
_NEXT = (
    rf"(?P<period>{_NEXT_WEEK}|next\s+(?:month|quarter|year)|(?:el\s+)?(?:(?:mes|trimestre|ano)"
    r"\s+que\s+viene|proximo\s+(?:mes|trimestre|ano)|mes\s+proximo)|(?:nae?chste[nrs]?"
    r"|kommende[nrs]?)\s+(?:monats?|quartals?|jahr(?:es)?)|(?:le\s+)?(?:mois|trimestre)\s+"
    r"prochain|(?:le\s+)?prochain\s+trimestre|(?:l')?(?:annee\s+prochaine|an\s+prochain))"
)
_PART = (
    r"(?P<part>early|beginning|start|mid|middle|late|end|principios|inicios|comienzos|mediados"
    r"|finales|fines|final|fin|anfang|mitte|ende|debut|mi|milieu|(?:first|last)\s+week"
    r"|(?:primera|ultima)\s+semana|(?:premiere|derniere)\s+semaine|(?:erste|letzte)n?\s+woche)"
)
_OF = (
    r"(?:\s*-\s*|\s+)(?:of\s+|del\s+|de\s+la\s+|de\s+l'|de\s+|du\s+|d'|des\s+|der\s+|im\s+)?"
    r"(?:the\s+|la\s+|el\s+|le\s+|l')?"
)
_THIS_END = (
    r"(?P<period>end\s+of\s+(?:the\s+|this\s+)?(?:week|month|quarter|year)|eo[wmqy]"
    r"|(?:month|quarter|year)[- ]?end|(?:later|sometime)\s+this\s+week|later\s+in\s+the\s+week"
    r"|a\s+lo\s+largo\s+de\s+(?:la|esta)\s+semana|im\s+laufe\s+(?:der|dieser)\s+woche"
    r"|dans\s+la\s+semaine|plus\s+tard\s+cette\s+semaine"
    r"|(?:finales|fines|final|fin)\s+de(?:l|\s+la|\s+este|\s+esta)?\s+(?:mes|trimestre|ano)"
    r"|(?:finales|final|fines)\s+de\s+(?:la\s+|esta\s+)?semana|fin\s+de\s+(?:la|esta)\s+semana"
    r"|ende\s+(?:des|dieses)\s+(?:monats|quartals|jahres)|ende\s+(?:der|dieser)\s+woche"
    r"|monatsende|quartalsende|jahresende|fin\s+(?:du|de\s+ce|de\s+cette|de\s+la|de\s+l'|de|d')"
    r"\s*(?:semaine|mois|trimestre|annee))"
)
# "T1" is a quarter in Spanish and French after a preposition ("au T1", "en el T1").
_T_AFTER = "(?:" + "|".join(f"(?<={word} )" for word in ("au", "en", "el", "del", "du", "le")) + ")"
_QUARTER = (
    rf"(?:{_PART}{_OF})?(?:(?:\bq|{_T_AFTER}t)(?P<quarter>[1-4])"
    r"|\b(?P<qdigit>[1-4])\.?\s*(?:quartal|trimestre|quarter)|\b(?P<qword>first|second|third|fourth|primer|segundo|tercer|cuarto|erste[nmrs]?"
    r"|zweite[nmrs]?|dritte[nmrs]?|vierte[nmrs]?|premier|deuxieme|troisieme|quatrieme)\s+"
    r"(?:quarter|trimestre|quartals?))(?:\s+(?P<y>20\d{2})|\s*['/]\s*(?P<yy>\d{2}))?\b"
)
_HOLIDAY = w.alternation(p.HOLIDAY_NAMES)
_UNIT_WORD = w.alternation([*w.UNITS, *w.BUSINESS_UNITS])
_SHIFTED_REFERENCE = (
    rf"\b(?P<count>{w.NUMBER})\s+(?P<unit>{_UNIT_WORD})\s+(?P<ref>prior|before(?:hand)?"
    r"|earlier|ahead|in\s+advance|later|after(?:wards)?|antes|despues|vorher|davor|frue?her"
    r"|spae?ter|danach|avant|plus\s+tot|apres|plus\s+tard)\b(?=\s*(?:[.!?;,)\n]|$))"
)
_RANGE_END = r"\s*(?:-|to|through|thru|until|al|bis(?:\s+zum)?|au)\s*(?P<d2>\d{1,2})"
_REFERENCE = (
    r"then|that\s+date|that\s+day|that|this\s+date|entonces|esa\s+fecha|ese\s+dia|eso|ello"
    r"|dahin|diesem\s+(?:datum|tag|termin)|davor|vorher|danach|cette\s+date|ce\s+jour|cela|ca"
)

_EVENT = (
    r"we(?:'re|\s+are|'ll\s+be)\s+(?:onsite|on-site|on\s+site|there|in)|we\s+(?:arrive|visit|meet)"
    r"|(?:the|our|this|that|your|their)\s+(?:meeting|demo|call|visit|onsite|on-site(?:\s+visit)?"
    r"|workshop|presentation|session|review)|(?:la|nuestra|esta)\s+(?:reunion|demo|visita"
    r"|presentacion|llamada|sesion)|(?:dem|unserem|diesem)\s+(?:termin|besuch|vor-ort-termin"
    r"|workshop|meeting|gesprach)|(?:la|notre|cette)\s+(?:reunion|demo|visite|presentation"
    r"|seance)|(?:le|notre|ce)\s+(?:rendez-vous|rdv|atelier|workshop)"
)

_PATTERNS: tuple[tuple[str, Resolver | None, bool, bool], ...] = (
    (r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b", r.month_day, True, False),
    (
        rf"\b(?P<mon>{MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_RANGE_END}"
        rf"(?:st|nd|rd|th)?\b{_YEAR}",
        r.month_range,
        True,
        False,
    ),
    (
        rf"\b(?:del\s+|vom\s+|du\s+|from\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?{_RANGE_END}"
        rf"(?:st|nd|rd|th|\.)?\s*(?:of\s+|de\s+)?(?P<mon>{MONTH})\b{_YEAR}",
        r.month_range,
        True,
        False,
    ),
    (
        rf"\b{_ON_WEEKDAY}(?P<mon>{MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"(?![:.,/]\d|\s*%){_YEAR}",
        r.month_day,
        True,
        False,
    ),
    (
        rf"\b{_ON_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:of\s+|de\s+)?"
        rf"(?P<mon>{MONTH})\b(?:\.(?=\s*\d))?{_YEAR}",
        r.month_day,
        True,
        False,
    ),
    (
        r"(?<![\d/.])(?!24/7\b)(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])",
        r.numeric,
        True,
        False,
    ),
    (
        r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2})(?!\d))?(?!\d|\.\d)",
        r.month_day,
        True,
        False,
    ),
    (
        rf"\b(?P<eod>{_EOD})\s+(?:on\s+)?(?P<day>tomorrow|today|{WEEKDAY})\b",
        r.day_word,
        False,
        False,
    ),
    (
        rf"\b(?P<day>tomorrow|today|manana|morgen|demain|{WEEKDAY}),?\s+(?:by\s+|at\s+|bis\s+"
        rf"|antes\s+del?\s+|avant\s+la\s+|en\s+)?(?P<eod>{_EOD_AFTER})\b",
        r.day_word,
        False,
        False,
    ),
    (
        rf"\b(?P<weekday>{WEEKDAY}),?\s+(?:(?:the|den|dia)\s+)?(?P<d>\d{{1,2}})"
        rf"(?:st|nd|rd|th|er|\.)?(?!\d){_NOT_A_DAY}",
        r.ordinal,
        True,
        False,
    ),
    (rf"\bthe\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)\b{_NOT_A_DAY}", r.ordinal, True, False),
    (rf"\b(?:el|del|al)\s+(?:dia\s+)?(?P<d>\d{{1,2}})\b{_NOT_A_DAY}", r.ordinal, True, False),
    (rf"\b(?:le|du|au)\s+(?P<d>\d{{1,2}})(?:er)?\b{_NOT_A_DAY}", r.ordinal, True, False),
    (rf"\b(?:am|zum|dem|den|vom)\s+(?P<d>\d{{1,2}})\.(?!\d){_NOT_A_DAY}", r.ordinal, True, False),
    (_SHIFTED_REFERENCE, None, False, False),
    (
        rf"\b(?P<count>{w.NUMBER})\s+{w.UNIT}\s+(?:from\s+(?:now|today)|a\s+partir\s+de\s+"
        r"(?:ahora|hoy)|desde\s+(?:ahora|hoy)|ab\s+(?:jetzt|heute)|a\s+partir\s+d'aujourd'hui)\b",
        r.relative,
        False,
        False,
    ),
    (
        r"\b(?:next|the\s+following)\s+(?:business|working)\s+day|nae?chste[nr]?\s+"
        r"(?:werktag|arbeitstag)|(?:el\s+)?(?:proximo|siguiente)\s+dia\s+(?:habil|laborable)"
        r"|(?:el\s+)?dia\s+(?:habil|laborable)\s+siguiente|(?:le\s+)?jour\s+(?:ouvre|ouvrable)\s+suivant"
        r"|(?:le\s+)?prochain\s+jour\s+(?:ouvre|ouvrable)",
        r.next_working_day,
        False,
        False,
    ),
    (
        rf"\b(?P<within>{_WITHIN})\s+(?:the\s+next\s+)?(?P<count>{w.NUMBER})\s*{w.UNIT}",
        r.relative,
        False,
        False,
    ),
    (
        rf"\b(?P<count>{w.NUMBER})\s+(?P<business>business|working)\s+(?P<unit>days?)\b"
        r"(?!\s+(?:ago|before|after|prior))",
        r.relative,
        False,
        False,
    ),
    (
        rf"(?<!hace )(?<!il y a )\b(?P<count>{w.NUMBER})\s+(?P<unit>dias|jours)\s+"
        r"(?P<business2>habiles|laborables|ouvres|ouvrables)\b",
        r.relative,
        False,
        False,
    ),
    (
        rf"(?<!vor )\b(?P<count>{w.NUMBER})\s+(?P<unit>werktagen?|werktage|arbeitstagen?"
        r"|arbeitstage)\b",
        r.relative,
        False,
        False,
    ),
    (
        rf"\b(?P<weekday>{WEEKDAY})\s+(?:of\s+|de\s+la\s+|de\s+|in\s+der\s+)?(?:{_NEXT_WEEK})\b",
        r.weekday_next_week,
        False,
        False,
    ),
    (
        rf"\b(?:{_NEXT_WEEK})[,;]?\s+(?:(?:maybe|perhaps|probably|ideally|say|preferably"
        r"|quizas|quiza|idealmente|preferiblemente|vielleicht|am\s+besten|idealerweise"
        r"|am\s+liebsten|peut-etre|plutot|idealement|de\s+preference)\s+)?(?:on\s+|am\s+|el\s+"
        rf"|le\s+)?(?P<weekday>{WEEKDAY})\b",
        r.weekday_next_week,
        False,
        False,
    ),
    (rf"\b{_PART}{_OF}{_NEXT}\b", p.next_period, False, False),
    (rf"\b{_THIS_END}\b", p.this_period_end, False, False),
    (rf"\b{_NEXT}\b", p.next_period, False, False),
    (rf"\b{_PART}{_OF}(?P<mon>{MONTH_NAME})\b{_YEAR}", p.month, False, False),
    (_QUARTER, p.quarter, False, False),
    (
        rf"(?:{_PART}{_OF})?\bh(?P<half>[12])(?:\s+(?P<y>20\d{{2}}))?\b",
        p.half,
        False,
        False,
    ),
    (
        r"\b(?:kw|kalenderwoche|cw|calendar\s+week|week|wk|semana|semaine|sem\.)\s*"
        r"(?P<isoweek>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?\b(?!\s*(?:%|[.,:]\d))"
        r"(?!\s*(?:of|de|du|der|des|del|von)\b)",
        p.iso_week,
        False,
        False,
    ),
    (
        rf"\b(?:in|during|en|im|courant|au\s+mois\s+de|en\s+el\s+mes\s+de|im\s+monat)\s+"
        rf"(?P<mon>{MONTH_NAME})\b{_YEAR}",
        p.month,
        False,
        False,
    ),
    (r"\bin\s+(?P<holiday>the\s+new\s+year)\b", p.holiday, False, False),
    (r"\b(?P<holiday>la\s+rentree)\b", p.holiday, False, False),
    (
        r"\b(?:the\s+)?day\s+after\s+tomorrow\b|\bpasado\s+manana\b|\bue?bermorgen\b"
        r"|\bapres[- ]demain\b",
        r.after_tomorrow,
        False,
        False,
    ),
    (
        r"\btomorrow\b|(?<!la )(?<!esta )(?<!una )(?<!cada )\bmanana\b|(?<!guten )(?<!heute )"
        r"(?<!am )(?<!jeden )(?<!den )(?<!ganzen )(?<!diesen )(?<!einen )\bmorgen\b|\bdemain\b",
        r.tomorrow,
        False,
        False,
    ),
    (
        rf"\b(?:today|tonight|{_EOD}|hoy|esta\s+tarde|esta\s+noche|heute|aujourd'hui|ce\s+soir"
        r"|cet\s+apres-midi|fin\s+de\s+(?:la\s+)?journee|final\s+del\s+dia)\b",
        r.today,
        False,
        False,
    ),
    (
        rf"\b(?:(?P<which>next|this|coming|el\s+proximo|proximo|este|nae?chste[nr]?|kommende[nr]?"
        rf"|diese[nmrs]?|ce)\s+)?(?P<weekday>{WEEKDAY})(?:'s)?(?:\s+(?P<which2>prochain"
        r"|que\s+viene|proximo))?\b",
        r.weekday,
        False,
        False,
    ),
    (rf"\b(?P<holiday>{_HOLIDAY})\b", p.holiday, False, True),
    (rf"\bpuente(?:\s+de(?:l\s+mes\s+de)?\s+(?P<mon>{MONTH_NAME}))?\b", p.bridge, False, True),
    (rf"\b(?P<mon>{MONTH_NAME})\b{_YEAR}", p.month, False, True),
    (rf"\b(?:{_EVENT})\b", r.event, False, True),
    (rf"\b(?P<ref>{_REFERENCE})\b", None, False, True),
    (r"(?<=d'ici )(?P<ref>la)(?=\s*(?:[.,;:!?)]|$))", None, False, True),
)
PATTERNS = tuple(
    (re.compile(pattern), resolve, explicit, needs_cue)
    for pattern, resolve, explicit, needs_cue in _PATTERNS
)
