"""German, addressing the contact as Sie in every tone. After the salutation's comma the
text goes on in lower case, as German letters do; the formal salutation names the whole
person ("Guten Tag Dana Ortiz,") since a first name does not tell Frau from Herr."""

from __future__ import annotations

import re

from shared.llm.tones.words import Tone, Words

WORDS = Words(
    code="de",
    tones={
        "friendly": Tone(
            greeting=("Hallo {first},", "Hallo,"),
            body="{greeting}\n\n{opener} Ich komme gern zurück auf {topic}. {when}\n\nViele Grüße",
            when=(
                "Alles Nötige bekommen Sie spätestens am {long}. Falls sich bei Ihnen etwas "
                "ändert, antworten Sie einfach auf diese E-Mail.",
                "Wie wäre eine kurze Abstimmung zu den nächsten Schritten am {long}?",
            ),
            openers={
                "call": "danke für das nette Telefonat!",
                "meeting": "danke für das Treffen!",
                "meeting_ahead": "ich freue mich schon auf unser Treffen!",
                "meeting_missed": "schade, dass es mit unserem Termin nicht geklappt hat.",
                "upset": "es tut mir leid, dass es zu diesen Problemen gekommen ist.",
                "email_in": "danke für Ihre Nachricht!",
                "email_out": "ich knüpfe kurz an meine letzte E-Mail an.",
                "note": "ich hoffe, Ihre Woche läuft gut!",
                "task": "ich hoffe, Ihre Woche läuft gut!",
            },
        ),
        "formal": Tone(
            signature="{sender_full}",
            greeting=("Guten Tag {full},", "Sehr geehrte Damen und Herren,"),
            body="{greeting}\n\n{opener} Ich schreibe Ihnen betreffend {topic}. {when} {offer}"
            "\n\nMit freundlichen Grüßen",
            when=(
                "Die entsprechenden Informationen erhalten Sie bis {long}.",
                "Gern bespreche ich die nächsten Schritte mit Ihnen am {long}.",
            ),
            openers={
                "call": "vielen Dank für Ihre Zeit am Telefon.",
                "meeting": "vielen Dank, dass Sie sich Zeit für unser Treffen genommen haben.",
                "meeting_ahead": "ich freue mich auf unseren bevorstehenden Termin.",
                "meeting_missed": "leider konnte unser Termin nicht wie geplant stattfinden.",
                "upset": (
                    "bitte entschuldigen Sie die Unannehmlichkeiten, die Ihnen entstanden sind."
                ),
                "email_in": "vielen Dank für Ihre E-Mail.",
                "email_out": "ich erlaube mir, auf meine letzte E-Mail zurückzukommen.",
                "note": "ich hoffe, es geht Ihnen gut.",
                "task": "ich hoffe, es geht Ihnen gut.",
            },
            offer=(
                "Falls {company} in der Zwischenzeit noch etwas benötigt, lassen Sie es mich "
                "bitte wissen.",
                "Falls Sie in der Zwischenzeit noch etwas benötigen, lassen Sie es mich bitte "
                "wissen.",
            ),
        ),
        "concise": Tone(
            # A German dash is the en dash, spaced.
            greeting=("{first}, es geht um", "Kurze Nachfrage – es geht um"),  # noqa: RUF001
            body="{greeting} {topic}. {when}",
            when=("Sie erhalten es bis {short}", "Kurzer Austausch am {short}?"),
            openers={},
        ),
    },
    # Each follows "um", "auf" or "betreffend": accusative throughout.
    generic_topics={
        "call": "unser Telefonat",
        "meeting": "unser Treffen",
        "meeting_ahead": "unser bevorstehendes Treffen",
        "meeting_missed": "einen neuen Termin für unser Treffen",
        "upset": "das von Ihnen geschilderte Problem",
        "email_in": "Ihre E-Mail",
        "email_out": "meine letzte E-Mail",
        "note": "unser letztes Gespräch",
        "task": "unser letztes Gespräch",
    },
    request="Ihre Anfrage: {ask}",  # the ask keeps its own case after the colon
    interest="Ihr Interesse {prep} {ask}",
    quotes=("„", "“"),
    ask=re.compile(
        r"\b(?:möchten?|will|wollen|wünsch(?:t|en)|brauch(?:t|en)|benötig(?:t|en)"
        r"|(?:bat|baten|bittet|bitten)\s+um|hätten?\s+gerne?|such(?:t|en)"
        r"|(?P<interest>(?:interessier(?:t|en)(?:\s+sich)?|Interesse)\s+(?P<prep>an|für)))"
        r"\s+(?P<topic>.+)",
        re.IGNORECASE,
    ),
    cues=re.compile(
        r"\b(?:möcht|woll|will|wünsch|brauch|benötig|bitte|bat|frag|such|interess|versproch"
        r"|vereinbar|send|schick|nächsten? schritte|könnten sie|können sie|preis|angebot"
        r"|vorschlag|demo)",
        re.IGNORECASE,
    ),
    weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    weekdays_short=("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    months=(
        *("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"),
        *("September", "Oktober", "November", "Dezember"),
    ),
    months_short=(
        *("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt."),
        *("Nov.", "Dez."),
    ),
    long_date="{weekday}, {d}. {month}",  # "Donnerstag, 5. März"
    short_date="{wd}, {d}.{m}.",  # "Do., 5.3."
    # Their or his ("ihre Daten", "seine Frage") is the contact's: Ihre. "sein"/"ihr"
    # alone only before a noun, where they cannot be the verb or the pronoun.
    yours=(
        (r"\b(?:ihr|sein)(e|em|en|er|es)\b", r"Ihr\1"),
        (r"\b(?:ihr|sein)(?=\s+[A-ZÄÖÜ])", "Ihr"),
    ),
)
