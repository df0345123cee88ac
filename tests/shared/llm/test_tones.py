"""Drafts in the contact's language: English, Spanish, German and French, same facts."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.hubspot.models import Activity
from shared.llm import rules
from shared.llm.heuristic import OFFLINE_CEILING, suggestions_for
from shared.llm.language import detect_language
from shared.llm.prompt import activity_payload
from shared.llm.schema import Draft
from shared.llm.tones import WORDS
from tests.shared.llm.factories import NOW, PRICING_CALL, make_activity

THREAD = (
    "\n\nOn Tue, Mar 3, 2026 at 10:02 AM Marcos Ruiz <marcos@vendor.example> wrote:\n"
    "> Hi Dana, great to meet you. Here is the recording of the reporting demo.\n"
)


def email(body: str, subject: str) -> Activity:
    return make_activity(body + THREAD, type="email", direction="INCOMING_EMAIL", subject=subject)


# (language, activity, what the customer asked for, as it must appear in every draft)
ACTIVITIES = [
    (
        "es",
        make_activity(
            "Llamada con Dana Ortiz: quiere el presupuesto para 50 licencias antes de la "
            "revisión de presupuesto del viernes. Le preocupa la migración de datos."
        ),
        "presupuesto para 50 licencias",
    ),
    (
        "es",
        email(
            "Hola Marcos:\n\nGracias por la demo de ayer. Necesitamos una propuesta para 50 "
            "licencias antes del viernes, porque el comité de compras se reúne el lunes."
            "\n\nUn saludo,\nDana",
            "Re: Demo de informes",
        ),
        "una propuesta para 50 licencias",
    ),
    (
        "de",
        make_activity(
            "Telefonat mit Frau Ortiz: Sie bat um ein Angebot für 50 Lizenzen bis Freitag, "
            "weil am Montag die Budgetrunde tagt.",
            subject="Telefonat Angebot",
        ),
        "ein Angebot für 50 Lizenzen bis Freitag",
    ),
    (
        "de",
        email(
            "Hallo Herr Ruiz,\n\nvielen Dank für die Vorführung. Wir benötigen ein schriftliches "
            "Angebot für 50 Lizenzen inklusive Schulung bis Freitag.\n\nViele Grüße\nDana Ortiz",
            "AW: Reporting-Demo",
        ),
        "ein schriftliches Angebot für 50 Lizenzen inklusive Schulung",
    ),
    (
        "fr",
        make_activity(
            "Appel avec Dana Ortiz : elle souhaite recevoir une offre pour 50 licences avant "
            "vendredi, le comité budgétaire se réunit lundi.",
            subject="Appel offre",
        ),
        "recevoir une offre pour 50 licences avant vendredi",
    ),
    (
        "fr",
        email(
            "Bonjour Marcos,\n\nMerci pour la démonstration d'hier. Nous aurions besoin d'une "
            "proposition pour 50 licences avant vendredi afin de la présenter au comité "
            "d'achat.\n\nCordialement,\nDana",
            "RE: Démo reporting",
        ),
        "une proposition pour 50 licences avant vendredi",
    ),
    ("en", make_activity(PRICING_CALL), "pricing for 50 seats"),
]


def drafts_for(activity: Activity) -> list[Draft]:
    return suggestions_for(activity_payload(activity, NOW, include_opportunity=False)).drafts


def violations(activity: Activity) -> list[rules.Violation]:
    suggestions = suggestions_for(activity_payload(activity, NOW, include_opportunity=False))
    return rules.check(suggestions, rules.Context(activity, NOW, ZoneInfo("UTC")))


@pytest.mark.parametrize(("language", "activity", "ask"), ACTIVITIES)
def test_every_draft_is_in_the_contacts_language_with_the_name_and_the_ask(
    language: str, activity: Activity, ask: str
) -> None:
    drafts = drafts_for(activity)

    assert [d.tone for d in drafts] == ["friendly", "formal", "concise"]
    assert len({d.text for d in drafts}) == 3
    for draft in drafts:
        assert detect_language(draft.text) == language, draft.text
        assert "Dana" in draft.text and ask in draft.text
        assert draft.confidence >= 0.8 * OFFLINE_CEILING  # a name and a concrete ask
    assert violations(activity) == []  # no placeholder, amount or discount of our own


@pytest.mark.parametrize(("language", "activity", "_ask"), ACTIVITIES)
def test_the_three_tones_stay_distinct_in_every_language(
    language: str, activity: Activity, _ask: str
) -> None:
    friendly, formal, concise = (d.text for d in drafts_for(activity))
    greetings = {text.splitlines()[0] for text in (friendly, formal, concise)}

    assert len(greetings) == 3
    assert len(concise) < len(friendly) < len(formal)
    assert "Acme Corp" in formal  # only the formal tone offers the company more help
    assert "\n" not in concise


def test_an_activity_in_no_language_we_write_gets_english_drafts() -> None:
    italian = make_activity("Chiamata con Dana: vuole il preventivo per 50 licenze entro venerdì.")
    unknown = make_activity("ok", subject="")

    for activity in (italian, unknown):
        drafts = drafts_for(activity)
        assert drafts[0].text.startswith("Hi Dana,")
        assert all(detect_language(d.text) == "en" for d in drafts)


CADENCE_DATES = [
    ("es", "Llamada con Dana: hablamos de la hoja de ruta del equipo.", "viernes 6 de marzo"),
    (
        "de",
        "Telefonat mit Dana: wir haben über die Roadmap des Teams gesprochen.",
        "Freitag, 6. März",
    ),
    (
        "fr",
        "Appel avec Dana : nous avons parlé de la feuille de route de l'équipe.",
        "vendredi 6 mars",
    ),
]


@pytest.mark.parametrize(("language", "body", "long_date"), CADENCE_DATES)
def test_a_proposed_date_is_written_the_local_way(language: str, body: str, long_date: str) -> None:
    drafts = drafts_for(make_activity(body))

    assert all(detect_language(d.text) == language for d in drafts)
    assert long_date in drafts[0].text and long_date in drafts[1].text


def test_the_first_of_the_month_is_written_as_each_language_does() -> None:
    first = date(2026, 6, 1)

    assert [WORDS[code].date(first, WORDS[code].long_date) for code in WORDS] == [
        "Monday, June 1",
        "lunes 1 de junio",
        "Montag, 1. Juni",
        "lundi 1er juin",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Demostración del módulo de informes para el equipo de finanzas de Dana.",
        "Vorführung des Berichtsmoduls für das Finanzteam von Dana.",
        "Démonstration du module de reporting pour l'équipe financière de Dana.",
    ],
)
def test_a_meeting_yet_to_happen_is_not_thanked_for_in_any_language(body: str) -> None:
    ahead = make_activity(body, type="meeting", subject="", occurred_at=NOW + timedelta(days=6))

    assert violations(ahead) == []
    assert detect_language(drafts_for(ahead)[0].text) in {"es", "de", "fr"}


def test_a_formal_german_draft_names_the_whole_person_or_nobody() -> None:
    body = "Telefonat mit Dana Ortiz: Sie bat um ein Angebot für 50 Lizenzen bis Freitag."
    named = drafts_for(make_activity(body))[1].text
    anonymous = drafts_for(make_activity(body, contacts=[], companies=[]))[1].text

    assert named.startswith("Guten Tag Dana Ortiz,\n\nvielen Dank")  # lower case after it
    assert anonymous.startswith("Sehr geehrte Damen und Herren,\n\n")
    assert "Falls Sie in der Zwischenzeit" in anonymous


def test_the_frame_meets_the_ask_grammatically() -> None:
    spanish = drafts_for(
        make_activity("Llamada con Dana: quiere el presupuesto para 50 licencias.")
    )
    french = drafts_for(
        make_activity("Appel avec Dana : elle a besoin d'une démo pour son équipe.")
    )

    assert "su solicitud del presupuesto para 50 licencias" in spanish[1].text
    assert "votre demande d'une démo pour votre équipe" in french[1].text
