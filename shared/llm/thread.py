"""The newest message of an email thread: what the sender wrote this time.

A logged email carries the messages it answers below it: a quote header ("On Tue, Mar 3,
2026 at 9:14 AM Dana <dana@acme.example> wrote:", "Am ... schrieb ...:", "El ...
escribió:", "Le ... a écrit :"), an Outlook block ("From:/Sent:/To:/Subject:" and its
German, Spanish and French forms), "-----Original Message-----", or lines quoted with
">". Dates in those older messages are not the current ask, so the text is cut at the
first of them; a clearly marked signature or disclaimer ("-- ", "Sent from my iPhone",
"CONFIDENTIALITY NOTICE") is cut too. No maintained reply-parsing library is installed
here (``email_reply_parser``, ``mailparser_reply``, ``talon``), hence these patterns.
"""

from __future__ import annotations

import re

_WROTE = (  # a quote header, possibly wrapped over up to three lines by the mail client
    r"^[ \t>]*(?:On|Am|El|Le)\b(?=[^\n]*\d)[^\n]*(?:\n[^\n]*){0,2}?"
    r"\b(?:wrote|schrieb|escribi[oó]|a\s+[ée]crit)\b[^\n]{0,80}:[ \t]*$"
    r"|^[^\n]{0,120}\b(?:schrieb\s+am|wrote\s+on)\b(?=[^\n]*\d)[^\n]*:[ \t]*$"
)
_OUTLOOK = (  # "From:" and, within three lines, "Sent:" or "Date:", in any of the languages
    r"^[ \t*]*(?:From|Von|De)[ \t]?:\*?[^\n]*\n(?:[^\n]*\n){0,2}?"
    r"[ \t*]*(?:Sent|Date|Gesendet|Datum|Enviado(?:[ \t]+el)?|Fecha|Envoy[ée])[ \t]?:"
)
_SEPARATOR = (
    r"^[ \t]*-{2,}[ \t]*(?:Original Message|Forwarded message|Mensaje original|Mensaje reenviado"
    r"|Urspr[üu]ngliche Nachricht|Weitergeleitete Nachricht|Message d'origine"
    r"|Message transf[ée]r[ée]|Courriel original)[ \t]*-{2,}|^[ \t]*_{10,}[ \t]*$"
)
_QUOTED = r"^[ \t]*>"
_SIGNATURE = (
    r"^--[ \t]?$|^(?:Sent from my|Sent from Outlook|Get Outlook for|Sent from Mail for"
    r"|Enviado desde mi|Enviado desde Outlook|Von meinem [^\n]{0,30} gesendet|Gesendet von meinem"
    r"|Envoy[ée] de mon|Envoy[ée] depuis mon)\b"
)
_DISCLAIMER = (
    r"^[ \t]*(?:CONFIDENTIALITY NOTICE|CONFIDENTIAL(?:ITY)?:|DISCLAIMER|AVISO DE CONFIDENCIALIDAD"
    r"|AVISO LEGAL|VERTRAULICHKEITSHINWEIS|HAFTUNGSAUSSCHLUSS|AVERTISSEMENT"
    r"|AVIS DE CONFIDENTIALIT[ÉE]"
    r"|This (?:e-?mail|message)(?: and any (?:files|attachments)[^\n]{0,40})? (?:is|are|may"
    r" contain|contains) (?:confidential|intended|privileged)|The information (?:contained )?in"
    r" this (?:e-?mail|message)|Este (?:correo|mensaje)(?: electr[óo]nico)? (?:y sus anexos )?"
    r"(?:es|contiene|puede contener) (?:confidencial|informaci[óo]n)|Diese (?:E-Mail|Nachricht)"
    r" (?:enth[äa]lt|ist|kann) (?:vertrauliche|vertraulich)|Ce (?:message|courriel|e-mail|mail)"
    r"(?: et ses pi[èe]ces jointes)? (?:est|sont|contient|peut contenir) (?:confidentiel"
    r"|strictement|des informations))"
)
_CUT = re.compile(
    "|".join(
        f"(?:{part})" for part in (_WROTE, _OUTLOOK, _SEPARATOR, _QUOTED, _SIGNATURE, _DISCLAIMER)
    ),
    re.IGNORECASE | re.MULTILINE,
)


def newest_message(text: str) -> str:
    """``text`` above the first quoted message, signature or disclaimer. A text that opens
    with one (a forward with nothing added, a bottom-posted reply) is kept whole, less its
    ">" lines: there is nothing newer to read."""
    cut = _CUT.search(text)
    if cut is None:
        return text
    newest = text[: cut.start()]
    if newest.strip():
        return newest.rstrip()
    return "\n".join(line for line in text.splitlines() if not re.match(_QUOTED, line))
