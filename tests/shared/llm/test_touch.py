"""The heuristic's touch date: dates found in the text, business days, cadence fallbacks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.llm.touch import plan_touch
from tests.shared.llm.factories import NOW, WEDNESDAY, make_activity

# Written on Wednesday 2026-03-04 at 15:00 UTC.
FOUND_DATES = [
    ("I'll send the deck by Friday.", date(2026, 3, 6)),
    ("She wants pricing before Friday's budget review.", date(2026, 3, 5)),  # the day before
    ("Let's talk again on Tuesday.", date(2026, 3, 10)),
    ("Call me back tomorrow.", date(2026, 3, 5)),
    ("Circle back next week.", date(2026, 3, 9)),  # Monday of next week
    ("Check in again in two weeks.", date(2026, 3, 18)),
    ("Revisit in 3 days.", date(2026, 3, 9)),  # Saturday, rolled to Monday
    ("Needs an answer in 4 business days.", date(2026, 3, 10)),  # Thu, Fri, Mon, Tue
    ("Try again in a month.", date(2026, 4, 6)),  # April 4 is a Saturday
    ("Budget is final by end of month.", date(2026, 3, 31)),
    ("They decide by the end of the quarter.", date(2026, 3, 31)),
    ("Rollout planned by end of Q3.", date(2026, 9, 30)),
    ("Contract renewal at the end of May.", date(2026, 5, 29)),  # May 31 is a Sunday
    ("Send the proposal by March 10.", date(2026, 3, 10)),
    ("Kickoff on March 12th.", date(2026, 3, 12)),
    ("Legal needs it by 3/17.", date(2026, 3, 17)),
    ("Signature due 2026-03-20.", date(2026, 3, 20)),
    ("Board meets on the 14th of March.", date(2026, 3, 16)),  # a Saturday
    ("Go-live March 21, 2026.", date(2026, 3, 23)),  # the 21st is a Saturday
    ("Send the recap EOD.", date(2026, 3, 4)),
    ("Will confirm by end of day.", date(2026, 3, 4)),
    ("Let's regroup next Friday.", date(2026, 3, 13)),  # Friday of next week
    ("They work on Saturday, call then.", date(2026, 3, 9)),
    ("Expect a decision within a couple of weeks.", date(2026, 3, 18)),
    ("Pick this up next month.", date(2026, 4, 1)),
    ("Wrap up by the end of the week.", date(2026, 3, 6)),
]


@pytest.mark.parametrize(("text", "due"), FOUND_DATES)
def test_due_date_comes_from_the_text(text: str, due: date) -> None:
    touch, mention = plan_touch(make_activity(text), NOW)

    assert mention is not None, text
    assert touch.recommended_due.date() == due
    assert touch.recommended_due.weekday() < 5
    assert touch.recommended_due.tzinfo == UTC


def test_a_deadline_is_preferred_to_a_passing_mention() -> None:
    text = "Met on Monday with the team. She wants the proposal by March 12."
    touch, mention = plan_touch(make_activity(text), NOW)

    assert mention is not None and mention.phrase == "March 12"
    assert touch.recommended_due.date() == date(2026, 3, 12)


def test_a_dated_day_in_the_past_is_not_a_commitment() -> None:
    touch, mention = plan_touch(make_activity("Demo happened on 2026-03-02, went well."), NOW)

    assert mention is None
    assert touch.recommended_due.date() == date(2026, 3, 6)  # the call cadence


def test_explicit_dates_are_surer_than_relative_ones_and_both_than_a_cadence() -> None:
    explicit, _ = plan_touch(make_activity("Send the proposal on March 10."), NOW)
    relative, _ = plan_touch(make_activity("Send the proposal on Tuesday."), NOW)
    cadence, _ = plan_touch(make_activity("Talked about the roadmap."), NOW)

    assert explicit.confidence > relative.confidence > cadence.confidence


CADENCES = [
    ({"type": "call"}, datetime(2026, 3, 6, 17, tzinfo=UTC)),
    ({"type": "meeting"}, datetime(2026, 3, 5, 17, tzinfo=UTC)),
    ({"type": "email", "direction": "INCOMING_EMAIL"}, datetime(2026, 3, 5, 17, tzinfo=UTC)),
    ({"type": "email", "direction": "EMAIL"}, datetime(2026, 3, 9, 17, tzinfo=UTC)),
    ({"type": "note"}, datetime(2026, 3, 11, 17, tzinfo=UTC)),
    # A task's occurred_at is its due date: kept while in the future...
    (
        {"type": "task", "occurred_at": datetime(2026, 3, 10, 14, tzinfo=UTC)},
        datetime(2026, 3, 10, 14, tzinfo=UTC),
    ),
    # ...and due today, while the working day lasts, once overdue.
    (
        {"type": "task", "occurred_at": datetime(2026, 3, 2, 9, tzinfo=UTC)},
        datetime(2026, 3, 4, 17, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("fields", "due"), CADENCES)
def test_without_a_date_each_type_has_a_cadence_with_lower_confidence(
    fields: dict, due: datetime
) -> None:
    found, _ = plan_touch(make_activity("Send the proposal by Friday.", **fields), NOW)
    touch, mention = plan_touch(make_activity("Talked about the roadmap.", **fields), NOW)

    assert mention is None
    assert touch.recommended_due == due
    assert touch.confidence < found.confidence
    assert "No date" in touch.rationale


def test_an_activity_on_a_weekend_counts_business_days_from_monday() -> None:
    saturday = datetime(2026, 3, 7, 11, tzinfo=UTC)
    touch, _ = plan_touch(make_activity("Quick chat.", occurred_at=saturday), saturday)

    assert touch.recommended_due.date() == date(2026, 3, 10)  # call: 2 business days


def test_tomorrow_from_a_saturday_is_monday() -> None:
    saturday = datetime(2026, 3, 7, 11, tzinfo=UTC)
    touch, _ = plan_touch(make_activity("Ping me tomorrow.", occurred_at=saturday), saturday)

    assert touch.recommended_due.date() == date(2026, 3, 9)


def test_start_is_a_business_day_before_due_but_not_before_the_activity() -> None:
    later, _ = plan_touch(make_activity("Send it by March 12."), NOW)
    soon, _ = plan_touch(make_activity("Send it tomorrow."), NOW)

    assert later.recommended_start == datetime(2026, 3, 11, 9, tzinfo=UTC)
    assert soon.recommended_start == NOW  # Wednesday 09:00 would be before the call


def test_a_date_that_passed_before_processing_moves_to_the_next_business_day() -> None:
    late = datetime(2026, 3, 9, 10, tzinfo=UTC)  # the run happens the Monday after
    on_time, _ = plan_touch(make_activity("Send it by Friday."), NOW)
    touch, _ = plan_touch(make_activity("Send it by Friday."), late)

    assert touch.recommended_due == datetime(2026, 3, 10, 17, tzinfo=UTC)
    assert touch.confidence < on_time.confidence
    assert touch.recommended_start is not None and touch.recommended_start >= late


def test_relative_phrases_are_read_from_the_activity_not_from_processing_time() -> None:
    touch, _ = plan_touch(make_activity("Send it in 2 weeks."), WEDNESDAY.replace(day=5))

    assert touch.recommended_due.date() == date(2026, 3, 18)


def test_dates_are_read_and_given_on_the_accounts_clock() -> None:
    """23:30 UTC on Wednesday is already Thursday in Tokyo: "tomorrow" there is Friday."""
    tokyo = ZoneInfo("Asia/Tokyo")
    late = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    activity = make_activity("Call me back tomorrow.", occurred_at=late, created_at=late)

    touch, _ = plan_touch(activity, late, tokyo)

    due = touch.recommended_due.astimezone(tokyo)
    assert (due.date(), due.hour) == (date(2026, 3, 6), 17)  # Friday, 17:00 in Tokyo
    assert touch.recommended_start == datetime(2026, 3, 5, 9, 0, tzinfo=tokyo)  # Thu 09:00


def test_a_weekend_in_the_accounts_zone_is_a_weekend_whatever_utc_says() -> None:
    """Friday 22:00 in Los Angeles is Saturday in UTC; the cadence counts from LA's Friday."""
    los_angeles = ZoneInfo("America/Los_Angeles")
    friday_night = datetime(2026, 3, 7, 6, 0, tzinfo=UTC)  # Fri 22:00 in LA
    activity = make_activity("Talked about the roadmap.", occurred_at=friday_night)

    touch, _ = plan_touch(activity, friday_night, los_angeles)

    due = touch.recommended_due.astimezone(los_angeles)
    assert due.date() == date(2026, 3, 10)  # two business days after Friday: Tuesday
    assert due.hour == 17


def test_a_public_holiday_in_the_accounts_country_is_no_business_day() -> None:
    """Mon 2026-05-25 is Memorial Day (US) and Whit Monday (DE); written Friday the 22nd."""
    friday = datetime(2026, 5, 22, 14, 0, tzinfo=UTC)
    activity = make_activity("Talked about the roadmap.", occurred_at=friday, created_at=friday)

    in_us, _ = plan_touch(activity, friday, ZoneInfo("America/New_York"), "US")
    weekends_only, _ = plan_touch(activity, friday, ZoneInfo("America/New_York"))

    assert weekends_only.recommended_due.date() == date(2026, 5, 26)  # Fri + 2: Tue the 26th
    assert in_us.recommended_due.date() == date(2026, 5, 27)  # Monday is no working day


def test_a_deadline_on_a_holiday_is_due_the_working_day_before() -> None:
    written = datetime(2026, 12, 14, 15, 0, tzinfo=UTC)
    activity = make_activity(
        "They need the contract by December 25.", created_at=written, occurred_at=written
    )

    touch, _ = plan_touch(activity, written, ZoneInfo("Europe/Berlin"), "DE")

    assert touch.recommended_due.astimezone(ZoneInfo("Europe/Berlin")).date() == date(2026, 12, 24)


# Written Wednesday 2026-03-04. Each quoted date would win if it were read: a deadline
# sooner than the newest message's date, or the only date at all.
QUOTED_HISTORY = [
    (
        "Sounds good, let's talk next Tuesday.\n\nOn Tue, Mar 3, 2026 at 9:14 AM Dana Ortiz "
        "<dana@acme.example> wrote:\n> Can you send pricing by March 5?",
        date(2026, 3, 10),
    ),
    (
        "Approved on our side, please send the contract.\n\nFrom: Sam Rep <sam@vendor.example>"
        "\nSent: Monday, March 2, 2026 4:01 PM\nTo: Dana Ortiz\nSubject: RE: Pricing\n\n"
        "Can you confirm by tomorrow?",
        date(2026, 3, 5),  # no date in the newest message: an inbound email's cadence
    ),
    (
        "Passt, wir telefonieren am Montag.\n\nVon: Sam Rep <sam@vendor.example>\nGesendet: "
        "Montag, 2. März 2026 16:01\nAn: Dana Ortiz\nBetreff: AW: Angebot\n\n"
        "Bitte bis morgen bestätigen.",
        date(2026, 3, 9),
    ),
    (
        "Ich bin ab dem 16. wieder im Büro.\n\nAm Di., 3. März 2026 um 09:14 Uhr schrieb Sam "
        "Rep <sam@vendor.example>:\n> Können wir morgen sprechen?",
        date(2026, 3, 16),
    ),
    (
        "Perfecto, hablamos la semana que viene.\n\nEl mar, 3 mar 2026 a las 9:14, Sam Rep "
        "(<sam@vendor.example>) escribió:\n> ¿Me confirmas antes del viernes?",
        date(2026, 3, 9),
    ),
    (
        "Te confirmo el jueves 12.\n\nDe: Sam Rep <sam@vendor.example>\nEnviado el: martes, 3 "
        "de marzo de 2026 9:14\nPara: Dana Ortiz\nAsunto: RE: Propuesta\n\n"
        "¿Puedes confirmar mañana?",
        date(2026, 3, 12),
    ),
    (
        "Merci, je reviens vers vous la semaine prochaine.\n\nLe mar. 3 mars 2026 à 09:14, Sam "
        "Rep <sam@vendor.example> a écrit :\n> Pouvez-vous confirmer d'ici demain ?",
        date(2026, 3, 9),
    ),
    (
        "C'est noté pour le 12 mars.\n\nDe : Sam Rep <sam@vendor.example>\nEnvoyé : mardi 3 "
        "mars 2026 09:14\nÀ : Dana Ortiz\nObjet : RE: Devis\n\nMerci de confirmer avant jeudi.",
        date(2026, 3, 12),
    ),
    (
        "Let's talk after the 20th.\n\n-----Original Message-----\nFrom: Sam\n"
        "Sent: Tuesday, March 3, 2026\nNeed it by tomorrow.",
        date(2026, 3, 23),  # the 20th is a Friday
    ),
    ("Friday works for me.\n\n> Could we do it tomorrow instead?", date(2026, 3, 6)),
    (
        "Let's do Thursday the 12th.\n\n-- \nDana Ortiz | VP Finance | Acme\n"
        "Out of office until Friday March 6",
        date(2026, 3, 12),
    ),
    (
        "Yes, Tuesday works.\n\nSent from my iPhone\n\nOn Tue, Mar 3, 2026 at 9:14 AM Sam "
        "wrote:\n> By tomorrow?",
        date(2026, 3, 10),
    ),
    (
        "Let's talk on Tuesday.\n\nCONFIDENTIALITY NOTICE: This e-mail is intended only for "
        "the addressee. If you received it in error, reply by March 5.",
        date(2026, 3, 10),
    ),
]


@pytest.mark.parametrize(("body", "due"), QUOTED_HISTORY)
def test_dates_in_quoted_history_and_signatures_are_not_the_current_ask(
    body: str, due: date
) -> None:
    email = make_activity(body, type="email", direction="INCOMING_EMAIL", subject="Re: Pricing")

    touch, _ = plan_touch(email, NOW)

    assert touch.recommended_due.date() == due
    assert email.body == body  # the full text stays on the activity


def test_a_date_only_named_is_less_sure_than_the_same_date_asked_for() -> None:
    asked, _ = plan_touch(make_activity("Please send the SOW by Friday."), NOW)
    named, mention = plan_touch(make_activity("Their budget review is Friday."), NOW)

    assert mention is not None and named.recommended_due == asked.recommended_due
    assert named.confidence <= asked.confidence - 0.2
