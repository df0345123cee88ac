"""The newest message of a thread: quoted history, signatures and disclaimers left out."""

from __future__ import annotations

import pytest

from shared.llm.thread import newest_message

NEWEST = "Sounds good, let's talk next Tuesday."

THREADS = [
    # Gmail, the header wrapped by the client.
    f"{NEWEST}\n\nOn Tue, Mar 3, 2026 at 9:14 AM Dana Ortiz <\ndana@acme.example> wrote:\n\n"
    "> Can you send pricing by March 5?",
    # Apple Mail, the header itself quoted.
    f"{NEWEST}\n\n> On 3 Mar 2026, at 09:14, Dana Ortiz <dana@acme.example> wrote:\n> By Friday?",
    # Outlook, English, German, Spanish and French.
    f"{NEWEST}\n\nFrom: Dana Ortiz <dana@acme.example>\nSent: Tuesday, March 3, 2026 9:14 AM\n"
    "To: Sam Rep <sam@vendor.example>\nSubject: RE: Pricing\n\nCan you confirm by March 6?",
    f"{NEWEST}\n\nVon: Dana Ortiz <dana@acme.example>\nGesendet: Dienstag, 3. März 2026 09:14\n"
    "An: Sam Rep\nBetreff: AW: Angebot\n\nBitte bis Freitag bestätigen.",
    f"{NEWEST}\n\nDe: Dana Ortiz <dana@acme.example>\nEnviado el: martes, 3 de marzo de 2026 "
    "9:14\nPara: Sam Rep\nAsunto: RE: Propuesta\n\n¿Puedes confirmar antes del viernes?",
    f"{NEWEST}\n\nDe : Dana Ortiz <dana@acme.example>\nEnvoyé : mardi 3 mars 2026 09:14\n"
    "À : Sam Rep\nObjet : RE: Devis\n\nMerci de confirmer avant jeudi.",
    # Gmail in German, Spanish and French; Thunderbird in German.
    f"{NEWEST}\n\nAm Di., 3. März 2026 um 09:14 Uhr schrieb Dana Ortiz <dana@acme.example>:\n"
    "> Können wir morgen sprechen?",
    f"{NEWEST}\n\nEl mar, 3 mar 2026 a las 9:14, Dana Ortiz (<dana@acme.example>) escribió:\n"
    "> ¿Hablamos mañana?",
    f"{NEWEST}\n\nLe mar. 3 mars 2026 à 09:14, Dana Ortiz <dana@acme.example> a écrit :\n"
    "> Pouvez-vous confirmer d'ici demain ?",
    f"{NEWEST}\n\nDana Ortiz schrieb am 03.03.2026 um 09:14:\n> Bis morgen?",
    # Separators, quoted lines without a header.
    f"{NEWEST}\n\n-----Original Message-----\nFrom: Dana\nNeed it by tomorrow.",
    f"{NEWEST}\n\n---------- Forwarded message ---------\nFrom: Dana\nBy March 5.",
    f"{NEWEST}\n\n-----Ursprüngliche Nachricht-----\nBis morgen.",
    f"{NEWEST}\n> Could we do Thursday instead?\n> Thanks",
    # Signatures and disclaimers.
    f"{NEWEST}\n\n-- \nDana Ortiz | VP Finance | Acme\nOut of office Friday March 6",
    f"{NEWEST}\n\nSent from my iPhone",
    f"{NEWEST}\n\nEnviado desde mi iPhone",
    f"{NEWEST}\n\nVon meinem iPhone gesendet",
    f"{NEWEST}\n\nEnvoyé de mon iPhone",
    f"{NEWEST}\n\nCONFIDENTIALITY NOTICE: This e-mail is intended only for the addressee. "
    "If received in error, reply by March 5.",
    f"{NEWEST}\n\nThis message and any attachments are confidential. Delete it by March 5.",
    f"{NEWEST}\n\nDiese E-Mail enthält vertrauliche Informationen. Bitte bis morgen löschen.",
    f"{NEWEST}\n\nEste mensaje es confidencial. Si lo recibió por error, bórrelo mañana.",
    f"{NEWEST}\n\nCe message est confidentiel. Merci de le détruire avant jeudi.",
]


@pytest.mark.parametrize("thread", THREADS)
def test_only_the_newest_message_is_kept(thread: str) -> None:
    assert newest_message(thread) == NEWEST


def test_a_text_with_no_history_is_kept_whole() -> None:
    note = "Call with Dana.\nOn Monday she sends the PO.\nFrom our side: the contract by Friday."

    assert newest_message(note) == note


def test_a_forward_with_nothing_added_keeps_the_forwarded_text() -> None:
    forward = "---------- Forwarded message ---------\nFrom: Dana\n\nWe need the quote by March 10."

    assert "We need the quote by March 10." in newest_message(forward)


def test_a_reply_under_the_quote_keeps_the_reply_without_the_quoted_lines() -> None:
    bottom_posted = (
        "On Tue, Mar 3, 2026 at 9:14 AM Sam wrote:\n> Can you do March 5?\n\nMarch 12 works."
    )

    newest = newest_message(bottom_posted)

    assert "March 12 works." in newest
    assert "March 5" not in newest


@pytest.mark.parametrize(
    "sign_off",
    [
        "Best regards,\nDana Ortiz\nVP Finance | Acme\nOut of office Friday March 6",
        "Mit freundlichen Grüßen\nPetra Zimmermann\nTel. 0521 555 3310",
        "Saludos,\nDaniela Gómez\nCel. 310 555 4821",
        "Cordialement,\nThomas Girard\nTél. 02 41 55 67 80",
    ],
)
def test_a_sign_off_and_the_signature_under_it_are_left_out(sign_off: str) -> None:
    assert newest_message(f"{NEWEST}\n\n{sign_off}") == NEWEST


def test_a_sentence_that_opens_with_thanks_is_not_taken_for_a_sign_off() -> None:
    email = (
        "Hi Sam,\n\nThanks, that helps. Can you send pricing for 50 seats by Friday?\n\nBest,\nDana"
    )

    assert "pricing for 50 seats by Friday" in newest_message(email)
    assert "Dana" not in newest_message(email)


def test_a_list_in_the_message_is_not_taken_for_a_signature() -> None:
    email = f"{NEWEST}\n\n- the SOW\n- the DPA\n\nBest regards,\nDana"

    assert newest_message(email) == f"{NEWEST}\n\n- the SOW\n- the DPA"
