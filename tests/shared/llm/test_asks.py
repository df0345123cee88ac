"""The next touch is the date of what is asked for, not any date the activity mentions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.llm.asks import sentences
from shared.llm.touch import plan_touch
from tests.shared.llm.factories import due_date, make_activity

ASKS = [
    ("Please send the revised quote.", True),
    ("She asked for references from two logistics customers.", True),
    ("Le mando el contrato mañana.", True),
    ("Mándamelo antes de esa fecha.", True),
    ("Bitte Anfang März wieder melden.", True),
    ("Envoyez-moi le chiffrage avant vendredi.", True),
    ("Their fiscal year starts July 1.", False),
    ("Sent the SOW this morning.", False),
    ("As promised, the deck is attached.", False),
    ("Bis dahin bitte keine Mails.", False),  # a request *not* to write
    ("Don't mention the rebate until finance signs off.", False),  # internal
    ("No decirle nada del descuento hasta el lunes.", False),
]


@pytest.mark.parametrize(("text", "asks"), ASKS)
def test_sentences_that_ask_something_of_us(text: str, asks: bool) -> None:
    [sentence] = sentences(text)
    assert sentence.asks is asks


def test_abbreviations_and_closing_quotes_do_not_end_a_sentence() -> None:
    text = 'Call Dr. Ruiz at Acme Inc. about the pilot. He said: "send it Monday." Done.'
    assert [text[s.start : s.end].strip() for s in sentences(text)] == [
        "Call Dr. Ruiz at Acme Inc. about the pilot.",
        'He said: "send it Monday."',
        "Done.",
    ]


# Written Tuesday 2026-09-01 (us-sep), 2026-12-01 (es-dec), 2026-12-15 (de-dec).
NEXT_TOUCH = [
    # A fact about the account is no touch date; the dated ask is.
    (
        "Go-live is set for October 19. Send the onboarding checklist to Priya Thursday.",
        "us-sep",
        date(2026, 9, 3),
    ),
    # A colleague's leave in an internal aside commits to nothing.
    (
        "Proposal sent. Don't promise the rebate, our CFO is out until the 21st. Follow up Friday.",
        "us-sep",
        date(2026, 9, 4),
    ),
    # The earliest sentence's pick: the prep before the deadline beats the review after it.
    (
        "Send the security questionnaire by Friday. After their review on the 15th, "
        "let's book the pilot.",
        "us-sep",
        date(2026, 9, 4),
    ),
    # Within one sentence a "not before" beats an earlier deadline it contradicts.
    (
        "She's at a trade show until Thursday -- after that, send her the pricing.",
        "us-sep",
        date(2026, 9, 4),
    ),
    # A hold said anywhere is a floor (the budget thaws on the 21st); "starting" is not.
    (
        "Contract starting Jan 1. Budget frozen until the 21st. Call back next week.",
        "us-sep",
        date(2026, 9, 21),
    ),
    # A hold on a far-off bare month ("desde julio") is past, not a floor.
    (
        "Pagan 40 licencias desde julio. Mándale la factura corregida mañana.",
        "es-dec",
        date(2026, 12, 2),
    ),
    # German Whitsun, the Spanish "puente" and "el siguiente día hábil".
    ("Bitte melden Sie sich nach Pfingsten.", "us-sep", date(2027, 5, 18)),
    ("Lo quiere antes del puente.", "es-dec", date(2026, 12, 4)),
    ("Le mando la propuesta después del puente.", "es-dec", date(2026, 12, 9)),
    ("Se lo envío el siguiente día hábil.", "es-dec", date(2026, 12, 2)),
    # Leaving on a day is before it; being away on a day is after it.
    ("She leaves on vacation the 18th.", "us-sep", date(2026, 9, 17)),
    ("Je pars en congés le 18 septembre.", "us-sep", date(2026, 9, 17)),
    ("Je suis en congés le 18 septembre.", "us-sep", date(2026, 9, 21)),
    # Mid-month is the middle of the week of the 15th.
    ("Bitte Mitte Januar nachfassen.", "de-dec", date(2027, 1, 13)),
]


@pytest.mark.parametrize(("text", "account", "due"), NEXT_TOUCH)
def test_the_next_touch_is_the_date_asked_for(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


def test_a_deadline_at_the_end_of_an_absence_is_met_on_return() -> None:
    text = "I'm away until Monday the 14th; could you have the revised SOW ready by then?"
    assert due_date(text, "us-sep") == date(2026, 9, 15)


NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = datetime(2026, 9, 1, 15, tzinfo=UTC)


def _due(**fields: object) -> date:
    body = str(fields.pop("body"))
    touch, _ = plan_touch(make_activity(body, **fields), TUESDAY, NEW_YORK, "US")
    return touch.recommended_due.astimezone(NEW_YORK).date()


def test_a_meeting_ahead_is_read_from_when_it_was_booked_and_prepared_for() -> None:
    booked = {"type": "meeting", "created_at": TUESDAY}
    start = datetime(2026, 9, 10, 14, tzinfo=UTC)  # Thursday next week
    # "tomorrow" is the day after the booking, not after the meeting.
    assert _due(body="Send the agenda tomorrow.", occurred_at=start, **booked) == date(2026, 9, 2)
    # Offsets count back from the meeting.
    body = "They need our insurance certificate 2 business days before we're onsite."
    assert _due(body=body, occurred_at=start, **booked) == date(2026, 9, 8)
    # Nothing dated: ready by the working day before the meeting at the latest.
    late = datetime(2026, 9, 3, 14, tzinfo=UTC)
    assert _due(body="Intro call booked from the web form.", occurred_at=late, **booked) == date(
        2026, 9, 2
    )


def test_cadences_for_a_voicemail_and_a_completed_task() -> None:
    assert _due(body="Left a voicemail about the renewal.", occurred_at=TUESDAY) == date(2026, 9, 2)
    done = {"type": "task", "task_status": "COMPLETED", "created_at": TUESDAY}
    body = "Quote sent; she is taking it to her team."
    assert _due(body=body, subject="Send quote by Friday", occurred_at=TUESDAY, **done) == date(
        2026, 9, 4
    )


def test_an_open_task_keeps_its_due_date_unless_the_text_asks_sooner() -> None:
    task = {"type": "task", "task_status": "NOT_STARTED", "created_at": TUESDAY}
    due = datetime(2026, 9, 9, 21, tzinfo=UTC)
    assert _due(body="Send the W-9.", occurred_at=due, **task) == date(2026, 9, 9)
    assert _due(body="She needs the W-9 by Thursday.", occurred_at=due, **task) == date(2026, 9, 3)
    overdue = datetime(2026, 8, 31, 21, tzinfo=UTC)
    assert _due(body="Send the W-9.", occurred_at=overdue, **task) == date(2026, 9, 1)


def test_an_upset_contact_and_a_meeting_to_set_up_are_answered_at_once() -> None:
    email = {"type": "email", "direction": "INCOMING_EMAIL", "occurred_at": TUESDAY}
    body = "Can we set up a call to go through it before the 18th? I'm on leave after that."
    assert _due(body=body, **email) == date(2026, 9, 2)
