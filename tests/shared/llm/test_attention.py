"""Opt-outs, legal threats and anger, read from the activity's words in four languages."""

import pytest

from shared.llm.attention import attention, housekeeping
from tests.shared.llm.factories import make_activity

FLAGGED = [
    ("Please remove me from your mailing list.", "opt_out"),
    ("Not interested. Stop emailing me.", "opt_out"),
    ("Hi Maria,\n\nunsubscribe\n\nThanks", "opt_out"),
    ("Por favor, dejen de escribirme.", "opt_out"),
    ("Quiero darme de baja de sus correos.", "opt_out"),
    ("Bitte keine weiteren E-Mails an diese Adresse.", "opt_out"),
    ("Bitte nehmen Sie mich aus Ihrem Verteiler.", "opt_out"),
    ("Merci de ne plus me contacter.", "opt_out"),
    ("Our lawyer will be in touch about the contract.", "legal"),
    ("This violates GDPR, I will report you to the data protection authority.", "legal"),
    ("Si no lo solucionan tomaremos acciones legales.", "legal"),
    ("Wir behalten uns rechtliche Schritte vor.", "legal"),
    ("Vous recevrez une mise en demeure.", "legal"),
    ("Two days of outage. This is unacceptable.", "hostile"),
    ("Estamos hartos de los errores en la factura.", "hostile"),
    ("Das ist eine Frechheit, die Rechnung ist schon wieder falsch.", "hostile"),
]
NOT_FLAGGED = [
    "Dana needs legal review before signing the order form.",
    "To unsubscribe from these emails, click here.",
    "Send the pricing for 50 seats by Friday.",
    "Don't hesitate to call me if anything comes up.",
    "Tenemos que revisar la cláusula legal con el equipo.",
]


@pytest.mark.parametrize(("text", "flag"), FLAGGED)
def test_the_flag_is_read_from_the_text(text: str, flag: str) -> None:
    found = attention(text)

    assert found is not None and found.flag == flag
    assert found.reason.startswith("The contact ")
    assert found.rules_out_follow_up == (flag != "hostile")


@pytest.mark.parametrize(
    "text",
    [
        "Steve's email bounced (550 5.1.1 user unknown). He left the company last month.",
        "Ana ya no trabaja en Grupo Ferrán, hay que buscar otro contacto.",
        "Herr Maier hat das Unternehmen verlassen.",
    ],
)
def test_a_contact_who_is_gone_gets_no_follow_up_and_no_flag(text: str) -> None:
    found = attention(text)

    assert found is not None and found.rules_out_follow_up and found.flag is None
    assert found.reason.startswith("The contact can no longer be reached")


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_ordinary_sales_words_raise_no_flag(text: str) -> None:
    assert attention(text) is None


def test_a_legal_threat_outranks_an_opt_out_and_the_reason_quotes_it() -> None:
    found = attention("Stop emailing me.\nOur attorney will contact you about this.")

    assert found is not None and found.flag == "legal"
    assert "Our attorney will contact you" in found.reason


HOUSEKEEPING = [
    ("Update close date + forecast category - Acme", "Moved close date to 3/31. Commit."),
    ("Clean up duplicate contacts - Acme", "Merged 3 duplicates."),
    ("Actualizar etapa del negocio - Grupo Solís", "Pasado a negociación."),
    ("Abschlussdatum aktualisieren - Vogt", "Auf 30.06. verschoben."),
]


@pytest.mark.parametrize(("subject", "body"), HOUSEKEEPING)
def test_a_completed_crm_update_gets_no_follow_up(subject: str, body: str) -> None:
    task = make_activity(body, type="task", task_status="COMPLETED", subject=subject)
    found = housekeeping(task)

    assert found is not None and found.rules_out_follow_up and found.flag is None
    assert subject in found.reason


@pytest.mark.parametrize(
    ("subject", "body", "status"),
    [
        # Still to do: the rep may yet write to someone.
        ("Update close date - Acme", "Moved close date to 3/31.", "NOT_STARTED"),
        # A customer-facing task, not a record change.
        ("Send updated quote to Dana", "Sent with the new amount.", "COMPLETED"),
        # A record change that still asks something of us.
        (
            "Update deal stage - Acme",
            "Moved to contracting; send Dana the order form.",
            "COMPLETED",
        ),
    ],
)
def test_other_tasks_are_no_housekeeping(subject: str, body: str, status: str) -> None:
    task = make_activity(body, type="task", task_status=status, subject=subject)
    assert housekeeping(task) is None
