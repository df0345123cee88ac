"""What a rep must know before anything else: the contact opted out, threatens legal action,
is gone, or is angry. Read from the activity's own words, in the languages drafts are
written in.

An opt-out, a legal threat or a contact who has left (or whose mail bounces) rules out a
follow-up: no draft, no date, and the rep is told why. An angry customer still gets a
follow-up, an apology with a concrete next step, and the run is flagged so the rep reads it
first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.hubspot.models import Activity
from shared.llm.asks import sentences
from shared.llm.schema import Flag

_OPT_OUT = re.compile(
    r"\bremove me\b|\btake me off\b|\bunsubscribe me\b|^\s*unsubscribe\s*[.!]?\s*$"
    r"|\bstop (?:e-?mailing|contacting|calling|messaging|sending)\b"
    r"|\b(?:do not|don'?t|never) (?:contact|e-?mail|call|message) (?:me|us)\b"
    r"|\bno (?:further|more) (?:e-?mails|calls|contact|messages)\b|\bopt(?:ed)? me out\b"
    r"|\bdar(?:me|nos)? de baja\b|\bdejen? de (?:escribir|llamar|contactar|enviar)(?:me|nos)\b"
    r"|\bno (?:me|nos) (?:vuelvan?|vuelvas) a (?:contactar|escribir|llamar)\b"
    r"|\bb[oó]rr(?:enme|ame|en) de (?:su|la|vuestra) lista\b"
    r"|\bkeine (?:weiteren )?(?:e-?mails|anrufe|nachrichten|werbung)\b"
    r"|\b(?:aus|von) (?:ihrem|dem|eurem) verteiler\b|\babmelden\b|\baustragen\b"
    r"|\b(?:kontaktieren|kontakten|schreiben|rufen) sie mich (?:bitte )?nicht\b"
    r"|\bnicht mehr (?:kontaktieren|anrufen|anschreiben)\b"
    r"|\bd[ée]sinscri(?:vez|re|ption)\b|\bd[ée]sabonn\w*|\bretirez[- ]moi\b"
    r"|\bne (?:me )?contactez plus\b|\bne plus (?:me )?(?:contacter|recevoir)\b",
    re.IGNORECASE | re.MULTILINE,
)
_LEGAL = re.compile(
    r"\b(?:my|our) (?:lawyer|attorney|attorneys|solicitor|legal (?:team|counsel|department))"
    r"(?: will| is going to)\b|\blegal action\b|\bsue (?:you|your)\b|\blawsuit\b"
    r"|\bcease and desist\b|\breport (?:you|this) to\b|\bdata protection authority\b"
    r"|\b(?:violat\w+|breach\w*) (?:of )?(?:the )?gdpr\b|\bgdpr complaint\b"
    r"|\bacciones legales\b|\bmi abogad[oa]\b|\bnuestros? abogad[oa]s?\b|\bdemandar(?:les|le)?\b"
    r"|\bdenunci(?:ar|aremos|aré)\b|\brechtliche schritte\b|\b(?:mein|unser) anwalt\b"
    r"|\bklage (?:einreichen|erheben)\b|\babmahnung\b|\bdatenschutzbeh[oö]rde\b"
    r"|\bpoursuites? judiciaires?\b|\baction en justice\b|\bmon avocat\b|\bnotre avocat\b"
    r"|\bmise en demeure\b|\bcnil\b",
    re.IGNORECASE,
)
_HOSTILE = re.compile(
    r"\bunacceptable\b|\bfurious\b|\boutraged\b|\bfed up\b|\bridiculous\b|\bthis is a joke\b"
    r"|\b(?:extremely|very|deeply) (?:disappointed|frustrated|unhappy|upset)\b"
    r"|\b(?:terrible|awful|horrible|appalling) (?:service|support|experience)\b"
    r"|\b(?:still|again) (?:down|broken|not working)\b|\bworst\b"
    r"|\binaceptable\b|\bindignad[oa]s?\b|\bfuriosos?\b|\bhart[oa]s? de\b|\bp[eé]simo\b"
    r"|\binakzeptabel\b|\bunversch[aä]mt\b|\bver[aä]rgert\b|\bfrechheit\b|\bkatastroph\w*"
    r"|\binacceptable\b|\bscandaleux\b|\bfurieux\b|\binadmissible\b",
    re.IGNORECASE,
)


# The contact cannot be reached any more: no draft has anyone to go to.
_GONE = re.compile(
    r"\b(?:has |have )?(?:left|moved on from) the company\b"
    r"|\bno longer (?:with|at|works? (?:at|for))\b"
    r"|\b(?:e-?mail|mail|message) bounced\b|\bbounced? back\b|\bundeliverable\b"
    r"|\buser unknown\b|\bmailbox (?:unavailable|not found)\b"
    r"|\bya no trabaja\b|\bdej[oó] la empresa\b|\bnicht mehr (?:im unternehmen|bei)\b"
    r"|\bhat das unternehmen verlassen\b|\ba quitt[ée] (?:l'entreprise|la soci[ée]t[ée])\b",
    re.IGNORECASE,
)


# A completed task that only changed the CRM's own records: the customer is not waiting on it.
_CHANGE_VERBS = (
    r"update[ds]?|updating|clean(?:ed)?\s+up|log(?:ged)?|merge[ds]?|fix(?:ed)?|tag(?:ged)?"
    r"|dedupe[ds]?|enrich(?:ed)?|reassign(?:ed)?|actualizar|actualizad[oa]|limpiar|registrar"
    r"|fusionar|aktualisier\w*|bereinig\w*|pfleg\w*|zusammenf[üu]hr\w*|mettre\s+[àa]\s+jour"
    r"|mise\s+[àa]\s+jour|nettoyer|fusionner"
)
# The verb opens the task's title, or closes it in German ("Abschlussdatum aktualisieren").
_RECORD_CHANGE = re.compile(
    rf"^\s*(?:{_CHANGE_VERBS})\b|\b(?:{_CHANGE_VERBS})\s*(?:$|\s-\s)", re.IGNORECASE
)
_CRM_FIELDS = re.compile(
    r"\b(?:close\s+date|forecast|deal\s+stage|stage|pipeline|amount|crm|hubspot|record|property"
    r"|properties|fields?|lifecycle|lead\s+status|owner|duplicates?|fecha\s+de\s+cierre"
    r"|previsi[óo]n|etapa|registro|abschlussdatum|prognose|phase|datensatz|dubletten"
    r"|date\s+de\s+cl[ôo]ture|pr[ée]vision|[ée]tape|fiche)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Attention:
    flag: Flag | None  # None: nothing to flag, but no one to follow up with either
    reason: str  # one sentence for the rep, quoting what raised it
    rules_out_follow_up: bool


def attention(text: str) -> Attention | None:
    """The most serious reading of ``text`` (legal, opt-out, gone, upset), if any."""
    readings: tuple[tuple[Flag | None, re.Pattern[str], str, bool], ...] = (
        ("legal", _LEGAL, "threatens legal action", True),
        ("opt_out", _OPT_OUT, "asked not to be contacted", True),
        (None, _GONE, "can no longer be reached", True),
        ("hostile", _HOSTILE, "is upset", False),
    )
    for flag, pattern, what, no_follow_up in readings:
        found = pattern.search(text)
        if found:
            return Attention(flag, f'The contact {what}: "{_quote(text, found)}"', no_follow_up)
    return None


def _quote(text: str, found: re.Match[str]) -> str:
    """The words around the match, cut to fit a one-line reason."""
    start = max(text.rfind("\n", 0, found.start()) + 1, found.start() - 80)
    line = text[start:].split("\n", 1)[0].strip()
    return line if len(line) <= 200 else f"{line[:197]}..."


def housekeeping(activity: Activity) -> Attention | None:
    """A completed task that only updated the CRM ("Update close date + forecast category"):
    nothing goes to the contact, and the rep is told why no draft was made."""
    done = (activity.task_status or "").upper() == "COMPLETED"
    if activity.type != "task" or not done or not _RECORD_CHANGE.search(activity.subject):
        return None
    if not _CRM_FIELDS.search(activity.subject) or any(s.asks for s in sentences(activity.body)):
        return None
    reason = f'An update of the CRM\'s own records, nothing for the contact: "{activity.subject}"'
    return Attention(None, reason[:300], rules_out_follow_up=True)


def missed_meeting(activity: Activity) -> bool:
    """A meeting that did not take place: HubSpot's outcome says so, or the rep's notes do."""
    if activity.type != "meeting":
        return False
    outcome = (activity.meeting_outcome or "").upper()
    return outcome in MISSED_OUTCOMES or bool(_MISSED.search(activity.body))


MISSED_OUTCOMES = {"NO_SHOW", "CANCELED", "CANCELLED", "RESCHEDULED"}
_MISSED = re.compile(
    r"\b(?:no[- ]show|didn'?t show|did not show|never showed|no se (?:present[oó]|conect[oó])"
    r"|no apareci[oó]|nicht erschienen|ist nicht gekommen|abgesagt|ne s'est pas pr[ée]sent[ée]e?"
    r"|n'est pas venue?|lapin)\b",
    re.IGNORECASE,
)
