"""The newest message of an email thread: what the sender wrote this time.

The cut is mail-parser-reply's (``mailparser_reply``, maintained, multi-language): quote
headers ("On ... wrote:", "Am ... schrieb ...:", Outlook's "From:/Sent:" block and its
German, Spanish and French forms), "-----Original Message-----", signatures ("-- ",
"Sent from my iPhone", a sign-off such as "Best regards" and what follows it) and labelled
disclaimers. What it lacks in the languages drafts are written in is a small complement
here, applied to its answer: headers it misses (Gmail's Spanish "El ... escribió:",
Thunderbird's "X schrieb am ...:", a header wrapped over lines), forward separators,
lines quoted with ">" under no header, mobile signatures in German and French, and
disclaimers that open with a sentence rather than a label. Dates, asks and amounts in the
older messages are not the current ask, so all of them are left out.
"""

from __future__ import annotations

import re

from mailparser_reply.parser import EmailMessage

# English is always read too; these are the other languages drafts are written in.
_LANGUAGES = ("de", "es", "fr")
# The library takes any line that opens with a sign-off word for the signature ("Thanks,
# that helps. Can you..."); a real sign-off line is short and asks nothing.
MAX_SIGN_OFF_WORDS = 6

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
    r"^--[ \t]?$|^(?:Sent from Outlook|Sent from Mail for|Enviado desde Outlook"
    r"|Von meinem [^\n]{0,30} gesendet|Envoy[ée] de mon)\b"
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
    quote header and ">" lines: there is nothing newer to read."""
    latest = _latest_reply(text)
    cut = _CUT.search(latest)
    if cut is None:
        return latest
    newest = latest[: cut.start()]
    if newest.strip():
        return newest.rstrip()
    return "\n".join(line for line in latest.splitlines() if not re.match(_QUOTED, line))


def _latest_reply(text: str) -> str:
    """The library's newest reply, less its disclaimers and its signature."""
    message = EmailMessage(text, languages=list(_LANGUAGES), keep_hyphen_lists=True).read()
    reply = message.replies[0]
    body = reply.full_body
    for disclaimer in reply.disclaimers:
        body = body.replace(disclaimer, "")
    return _above_signature(body.strip(), reply.signatures)


def _above_signature(body: str, signature: str) -> str:
    """``body`` above ``signature`` when that opens with a real sign-off line; a sentence
    that only starts like one ("Thanks, that helps.") is kept, and the search goes on below."""
    if not signature or signature not in body:
        return body
    above = body[: body.index(signature)]
    first, _, rest = signature.partition("\n")
    if _is_sign_off(first):
        return above.rstrip()
    return f"{above}{first}\n{_latest_reply(rest)}".strip()


def _is_sign_off(line: str) -> bool:
    return len(line.split()) <= MAX_SIGN_OFF_WORDS and "?" not in line
