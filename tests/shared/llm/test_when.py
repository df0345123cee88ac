"""Harder date phrases, as reps log them and customers write them, in English, Spanish, German
and French: "not before" phrases, combined phrases, bare ordinals, months, offsets,
references and public holidays, each read on the account's calendar (zone and country)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.llm.touch import plan_touch
from shared.llm.when import find_mentions
from tests.shared.llm.factories import ACCOUNTS, due_date, make_activity

NOT_BEFORE = [
    # Away until a day: reached the working day after it.
    ("Dana is out until Monday the 14th.", "us-sep", date(2026, 9, 15)),
    ("I'm on PTO until the 11th with limited access to email.", "us-sep", date(2026, 9, 14)),
    ("Out of office until 11/27, back after the holiday.", "us-nov", date(2026, 11, 30)),
    ("I'm on vacation next week, let's talk when I'm back.", "us-nov", date(2026, 11, 30)),
    # A freeze or a wait lifts when the day or period comes.
    ("Budget is frozen until Q4, nothing moves before then.", "us-sep", date(2026, 10, 1)),
    ("We can't sign until legal signs off on the 15th.", "us-sep", date(2026, 9, 15)),
    (
        "Not before the 10th please, the team is heads-down on the launch.",
        "us-sep",
        date(2026, 9, 10),
    ),
    ("Hold off until after Thanksgiving.", "us-nov", date(2026, 11, 30)),
    # Back on a day: that day.
    ("I'm back in the office on the 8th.", "us-sep", date(2026, 9, 8)),
    # After an event on a day: the working day after it.
    ("Call me after the board meeting on the 9th.", "us-sep", date(2026, 9, 10)),
    ("Kickoff is on September 24. Let's talk after that.", "us-sep", date(2026, 9, 25)),
    ("Estoy de vacaciones hasta el 11 de diciembre.", "es-dec", date(2026, 12, 14)),
    ("Vuelvo el lunes 14, hablamos entonces.", "es-dec", date(2026, 12, 14)),
    ("No podemos firmar hasta el 15 de diciembre.", "es-dec", date(2026, 12, 15)),
    ("Llámame después de la reunión del consejo el 10.", "es-dec", date(2026, 12, 11)),
    ("El presupuesto está congelado hasta el primer trimestre.", "es-dec", date(2027, 1, 4)),
    ("Ich bin bis zum 8. Januar im Urlaub.", "de-dec", date(2027, 1, 11)),
    ("Ab dem 4. Januar bin ich wieder im Büro.", "de-dec", date(2027, 1, 4)),
    ("Das Budget ist bis zum ersten Quartal eingefroren.", "de-dec", date(2027, 1, 4)),
    ("Ich bin nächste Woche im Urlaub.", "de-dec", date(2026, 12, 28)),
    ("Je suis absent jusqu'au 27 novembre.", "fr-nov", date(2026, 11, 30)),
    ("Je serai de retour le 30.", "fr-nov", date(2026, 11, 30)),
    ("Le budget est gelé jusqu'au T1.", "fr-nov", date(2027, 1, 4)),
    ("À partir du 1er décembre, je suis disponible.", "fr-nov", date(2026, 12, 1)),
]

COMBINED_AND_ORDINALS = [
    ("Can you send it EOD tomorrow?", "us-sep", date(2026, 9, 2)),
    ("I'll call you first thing Monday.", "us-sep", date(2026, 9, 8)),  # Labor Day
    ("Need the signed order form by COB Thursday.", "us-sep", date(2026, 9, 3)),
    ("Send it over by Friday at the latest.", "us-sep", date(2026, 9, 4)),
    ("Please have the redlines back to us by the 15th.", "us-sep", date(2026, 9, 15)),
    ("They'll decide by the 31st.", "us-nov", date(2026, 12, 31)),  # November has no 31st
    ("Can we meet next week, maybe Wednesday?", "us-nov", date(2026, 11, 25)),
    ("Te llamo mañana a primera hora.", "es-dec", date(2026, 12, 2)),
    (
        "Hoy por la mañana hablé con Dana; quiere la propuesta para el jueves.",
        "es-dec",
        date(2026, 12, 3),
    ),
    ("Hablamos pasado mañana.", "es-dec", date(2026, 12, 3)),
    ("Guten Morgen Frau Ortiz, wir telefonieren morgen.", "de-dec", date(2026, 12, 16)),
    ("Ich melde mich übermorgen.", "de-dec", date(2026, 12, 17)),
    ("Nächsten Dienstag passt gut.", "de-dec", date(2026, 12, 22)),
    ("Je vous rappelle demain.", "fr-nov", date(2026, 11, 18)),
    ("Je reviens vers vous après-demain.", "fr-nov", date(2026, 11, 19)),
    ("Rappelez-moi mardi prochain.", "fr-nov", date(2026, 11, 24)),
]

PERIODS = [
    ("Let's reconnect in February.", "us-sep", date(2027, 2, 1)),
    ("Ping me early next month.", "us-sep", date(2026, 10, 1)),
    # Mid-month is the middle of the week of the 15th: Wednesday the 13th.
    ("Decision expected mid-January.", "us-sep", date(2027, 1, 13)),
    ("Talk end of next week.", "us-nov", date(2026, 11, 27)),
    ("We'll circle back in the new year.", "us-nov", date(2027, 1, 4)),
    ("Lo revisamos a finales de mes.", "es-dec", date(2026, 12, 31)),
    ("Hablamos a principios de enero.", "es-dec", date(2027, 1, 4)),
    ("Mándame la propuesta la semana que viene.", "es-dec", date(2026, 12, 7)),
    ("Wir sprechen Anfang Februar wieder.", "de-dec", date(2027, 2, 1)),
    ("Das Projekt startet in KW 37.", "de-dec", date(2027, 9, 13)),  # ISO week 37 of 2027
    ("Bis Ende des Monats brauchen wir eine Entscheidung.", "de-dec", date(2026, 12, 31)),
    ("Nach Ostern haben wir wieder Budget.", "de-dec", date(2027, 3, 30)),  # Easter Monday off
    ("On en reparle à la fin du mois.", "fr-nov", date(2026, 11, 30)),
    ("On se parle la semaine prochaine.", "fr-nov", date(2026, 11, 23)),
    ("Début janvier, on relance le sujet.", "fr-nov", date(2027, 1, 4)),
    ("On fait le point à la mi-décembre.", "fr-nov", date(2026, 12, 16)),
    ("On reprend contact après les fêtes.", "fr-nov", date(2027, 1, 4)),
]

OFFSETS_AND_REFERENCES = [
    # 60 days before Dec 31 is Sunday Nov 1: a deadline, so the Friday before.
    (
        "We need to give notice 60 days before the renewal on December 31.",
        "us-sep",
        date(2026, 10, 30),
    ),
    ("Check in two weeks after go-live on the 9th.", "us-sep", date(2026, 9, 23)),
    ("Renewal is on October 30; reach out 30 days before that.", "us-sep", date(2026, 9, 30)),
    ("The board meets on the 17th; we need the deck before then.", "us-sep", date(2026, 9, 16)),
    ("Let's pick this up the week after Thanksgiving.", "us-nov", date(2026, 11, 30)),
    ("Tengo que presentarlo el 15; mándamelo antes de esa fecha.", "es-dec", date(2026, 12, 14)),
    (
        "Am 18.12. ist Vorstandssitzung, bitte davor die Unterlagen schicken.",
        "de-dec",
        date(2026, 12, 17),
    ),
    (
        "Le comité se réunit le 3 décembre, il nous faut le dossier avant cette date.",
        "fr-nov",
        date(2026, 12, 2),
    ),
    ("Necesitamos la oferta antes del viernes.", "es-dec", date(2026, 12, 3)),
    ("Merci de me répondre avant jeudi.", "fr-nov", date(2026, 11, 18)),
    ("Bitte bis Freitag zurückmelden.", "de-dec", date(2026, 12, 18)),
]

# Working days are counted on the country's calendar, and a deadline on a public holiday
# is due the working day before.
HOLIDAYS = [
    ("Send the contract within 5 business days.", "us-sep", date(2026, 9, 9)),  # Labor Day
    ("She needs the quote before Thanksgiving.", "us-nov", date(2026, 11, 25)),
    ("Send it over by the 26th.", "us-nov", date(2026, 11, 25)),  # Thanksgiving
    ("Follow up after Thanksgiving.", "us-nov", date(2026, 11, 30)),
    ("Te mando la propuesta el próximo martes.", "es-dec", date(2026, 12, 9)),  # Tue 8th off
    ("Lo necesito para el 8 de diciembre.", "es-dec", date(2026, 12, 7)),
    ("Por favor, confírmame antes del 9/12.", "es-dec", date(2026, 12, 7)),  # day first
    ("Enviadme el contrato en 5 días hábiles.", "es-dec", date(2026, 12, 9)),
    ("Lo retomamos después de Reyes.", "es-dec", date(2027, 1, 7)),
    ("Te lo envío en 3 días hábiles.", "es-jan", date(2027, 1, 8)),  # Reyes is no working day
    ("Lo necesito para el 6 de enero.", "es-jan", date(2027, 1, 5)),
    ("Bitte schicken Sie das Angebot bis Ende nächster Woche.", "de-dec", date(2026, 12, 24)),
    ("Wir brauchen den Vertrag vor dem 28.12.", "de-dec", date(2026, 12, 24)),
    ("Lass uns nach Weihnachten sprechen.", "de-dec", date(2026, 12, 28)),
    ("Bitte spätestens am 25. Dezember schicken.", "de-dec", date(2026, 12, 24)),
    ("Bitte innerhalb von 3 Werktagen antworten.", "de-dec", date(2026, 12, 18)),
    ("Envoyez-moi le contrat sous 3 jours ouvrés.", "fr-nov", date(2026, 11, 20)),
    ("Pouvez-vous envoyer le devis d'ici le 4 décembre ?", "fr-nov", date(2026, 12, 4)),
]


# The way reps write in a hurry.
SHORTHAND = [
    ("Call Thurs.", "us-sep", date(2026, 9, 3)),
    ("Revisit in 2 wks.", "us-sep", date(2026, 9, 15)),
    ("Need it by month-end.", "us-sep", date(2026, 9, 30)),
    ("Revisit in H1 next year, maybe early H1 2027.", "us-sep", date(2027, 1, 4)),
    ("Let's reconnect a week from Friday.", "us-sep", date(2026, 9, 11)),
    ("I'll reply next business day.", "us-nov", date(2026, 11, 18)),
    (
        "Contract expires Dec 31. Start the renewal conversation 90 days prior.",
        "us-sep",
        date(2026, 10, 2),
    ),
    ("Dana will be out Sept 8-11, so send the deck after that.", "us-sep", date(2026, 9, 14)),
    ("Let's meet the first week of October.", "us-sep", date(2026, 10, 1)),
    ("Ich melde mich im Laufe der Woche.", "de-dec", date(2026, 12, 18)),
]


@pytest.mark.parametrize(("text", "account", "due"), SHORTHAND)
def test_shorthand_reps_type_in_notes(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


@pytest.mark.parametrize(("text", "account", "due"), NOT_BEFORE)
def test_not_before_phrases_set_the_earliest_day(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


@pytest.mark.parametrize(("text", "account", "due"), COMBINED_AND_ORDINALS)
def test_combined_phrases_and_bare_days_of_the_month(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


@pytest.mark.parametrize(("text", "account", "due"), PERIODS)
def test_months_weeks_and_quarters_give_a_working_day_in_them(
    text: str, account: str, due: date
) -> None:
    assert due_date(text, account) == due


@pytest.mark.parametrize(("text", "account", "due"), OFFSETS_AND_REFERENCES)
def test_offsets_and_references_to_a_date_named_before(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


@pytest.mark.parametrize(("text", "account", "due"), HOLIDAYS)
def test_public_holidays_of_the_accounts_country(text: str, account: str, due: date) -> None:
    assert due_date(text, account) == due


def test_the_same_deadline_moves_only_where_the_day_is_a_holiday() -> None:
    written = ACCOUNTS["us-nov"][0]
    activity = make_activity("Send it over by the 26th.", occurred_at=written, created_at=written)
    zone = ZoneInfo("America/New_York")

    in_us, _ = plan_touch(activity, written, zone, "US")
    weekends_only, _ = plan_touch(activity, written, zone)

    assert in_us.recommended_due.date() == date(2026, 11, 25)
    assert weekends_only.recommended_due.date() == date(2026, 11, 26)


def test_a_not_before_mention_says_so_and_outranks_a_plain_date() -> None:
    text = "Kickoff is on the 20th. I'm out until the 9th, call me after that."
    [first, *rest] = find_mentions(text, date(2026, 3, 4))

    assert (first.due, first.not_before, first.deadline) == (date(2026, 3, 10), True, False)
    assert date(2026, 3, 20) in {mention.due for mention in rest}


def test_a_deadline_still_comes_first_and_is_not_pushed_past_an_absence() -> None:
    """The rep sends what was asked by Friday even if the contact is away after it."""
    text = "Please send the contract by Friday; I'm out until the 16th."
    touch, mention = plan_touch(make_activity(text), datetime(2026, 3, 4, 15, tzinfo=UTC))

    assert mention is not None and mention.deadline
    assert touch.recommended_due.date() == date(2026, 3, 6)


def test_a_not_before_rationale_says_why() -> None:
    touch, _ = plan_touch(make_activity("Back on the 9th."), datetime(2026, 3, 4, 15, tzinfo=UTC))

    assert touch.rationale.startswith('Not before "the 9th"')


NO_COMMITMENT = [
    "We need 50 seats and 3 admins; the team is 12 people.",
    "This is the 3rd time we've discussed this.",
    "They may need to loop in legal.",
    "Price is 1.200,50 EUR for 24/7 support on version 2.5.1.",
    "Guten Morgen Dana, danke für das Gespräch.",
    "Por la mañana hablé con el equipo.",
    "Their week 2 of the pilot went well.",
    "After that, she sent the deck.",
    "Happy Easter! Hope you had a great weekend.",
    "Our T1 line is down.",
    "Le 15 % de remise est accepté.",
    "El 15 de cada mes facturamos.",
]


@pytest.mark.parametrize("text", NO_COMMITMENT)
def test_numbers_and_words_that_are_no_date_commit_to_nothing(text: str) -> None:
    assert find_mentions(text, date(2026, 3, 4), "US") == []


def test_a_past_weekday_before_after_that_does_not_set_an_earliest_day() -> None:
    mentions = find_mentions(
        "We met Monday. After that, Dana shared the numbers.", date(2026, 3, 4)
    )

    assert [mention.not_before for mention in mentions] == [False]
