"""Which language the drafts are written in: the customer's own words first, English last."""

from __future__ import annotations

import pytest

from shared.hubspot.models import Activity
from shared.llm.reply_language import customer_words, draft_language
from tests.shared.llm.factories import make_activity

ENGLISH_THREAD = (
    "\n\nOn Tue, Mar 3, 2026 at 10:02 AM Marcos Ruiz <marcos@vendor.example> wrote:\n"
    "> Hi Dana, great to meet you. Here is the recording of the reporting demo and the\n"
    "> security overview we talked about. Let me know what your team thinks of it.\n"
)


def inbound(body: str, subject: str = "Re: Reporting demo") -> Activity:
    return make_activity(body, type="email", direction="INCOMING_EMAIL", subject=subject)


def test_an_inbound_reply_is_answered_in_the_language_of_its_newest_part() -> None:
    reply = inbound(
        "Hola Marcos:\n\nGracias por la grabación. Necesitamos una propuesta para 50 licencias "
        "antes del viernes.\n\nUn saludo,\nDana" + ENGLISH_THREAD
    )

    # The newest message, without the quoted thread or the sign-off.
    assert customer_words(reply) == reply.body.split("\n\nUn saludo")[0]
    assert draft_language(reply) == "es"


def test_an_english_reply_over_a_german_thread_stays_english() -> None:
    thread = (
        "\n\nAm 03.03.2026 um 10:02 schrieb Marcos Ruiz <marcos@vendor.example>:\n"
        "> Hallo Frau Ortiz, anbei wie besprochen die Aufzeichnung der Vorführung und die "
        "Übersicht zur Datensicherheit.\n"
    )
    reply = inbound("Thanks Marcos, could you send a quote for 50 seats by Friday?" + thread)

    assert draft_language(reply) == "en"


def test_what_a_note_quotes_the_customer_as_saying_decides() -> None:
    note = make_activity(
        "Spoke with Dana about the rollout. She said: \"Nous aurions besoin d'une offre pour "
        'cinquante licences avant vendredi." Sounded keen overall.',
        type="note",
    )

    assert draft_language(note) == "fr"


def test_without_the_customers_own_words_the_whole_text_decides() -> None:
    call = make_activity(
        "Telefonat mit Frau Ortiz: Sie bat um ein Angebot für 50 Lizenzen bis Freitag."
    )

    assert customer_words(call) is None
    assert draft_language(call) == "de"


def test_a_reply_too_short_to_tell_falls_back_to_the_whole_text() -> None:
    reply = inbound(
        "¡Gracias!\n\nEl mar, 3 mar 2026 a las 10:02, Marcos Ruiz escribió:\n"
        "> Hola Dana: le adjunto la grabación de la demostración y el resumen de seguridad.",
        subject="Re: Demostración de informes",
    )

    assert customer_words(reply) == "¡Gracias!"
    assert draft_language(reply) == "es"


@pytest.mark.parametrize(
    "body",
    [
        "Chiamata con Dana: vuole il preventivo per 50 licenze entro venerdì.",  # Italian
        "Ligação com a Dana: ela quer a proposta para 50 licenças até sexta-feira.",  # Portuguese
    ],
)
def test_a_language_without_templates_gets_english(body: str) -> None:
    assert draft_language(make_activity(body)) == "en"


@pytest.mark.parametrize("body", ["ok", "Demo 50 seats", "👍"])
def test_a_text_whose_language_cannot_be_told_gets_english(body: str) -> None:
    assert draft_language(make_activity(body, subject="")) == "en"


@pytest.mark.parametrize(
    ("subject", "country", "language"),
    [
        ("Llamar a Jorge", "MX", "es"),
        ("Rückruf Weber", "AT", "de"),
        ("Relance Dupont", "FR", "fr"),
        ("Call Jorge", "CH", "en"),  # several languages there: the text decides, or English
        ("Demo 50 seats", None, "en"),
    ],
)
def test_a_text_too_short_to_tell_is_written_in_the_accounts_language(
    subject: str, country: str | None, language: str
) -> None:
    task = make_activity("", type="task", subject=subject)
    assert draft_language(task, country) == language


def test_the_text_outranks_the_accounts_country() -> None:
    body = "Call with Dana: she wants pricing for 50 seats before Friday's budget review."
    assert draft_language(make_activity(body), "MX") == "en"
