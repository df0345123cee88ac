"""When the rep should touch the deal next: the date the activity commits to, else a cadence.

Relative phrases are read from when the activity was written (a task's ``occurred_at`` is
its due date, so a task is read from its creation), on the account's calendar: "tomorrow"
is the day after in the account's time zone. Due dates fall at the end of a business day
there; the start is one business day earlier, never before the activity or now.

Confidence is how good the reading is, from 0 to 1: 0.9 for a calendar date the text sets as
a deadline, 0.85 for a calendar date, 0.7 for a relative phrase ("next Tuesday"), 0.5 for a
task's own due date, 0.3 for a cadence (no date in the text at all), 0.25 less for a plain
date (no deadline, no hold) that no sentence asks for, 0.2 less when the date read has
passed. A model scales these to what it can claim (``heuristic.OFFLINE_CEILING``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo

from shared.hubspot.models import Activity
from shared.llm import dates as d
from shared.llm.asks import NextTouch, read_next_touch
from shared.llm.attention import attention
from shared.llm.internal import INBOUND_DIRECTIONS
from shared.llm.schema import TouchDate
from shared.llm.thread import newest_message
from shared.llm.when import Mention, find_mentions
from shared.llm.words import fold

# Business days from the activity to the follow-up when the text names no date.
CADENCE_DAYS = {"call": 2, "meeting": 1, "note": 5}
EMAIL_DAYS = {True: 1, False: 3}  # inbound: answer fast; outbound: give them time to reply
COMPLETED_TASK_DAYS = 3  # something was sent or done: give them time to answer
NO_CONNECT_DAYS = 1  # a voicemail or no answer: the next attempt the next business day
_NO_CONNECT = re.compile(
    r"\b(?:voice\s?mail|vm\b|left\s+(?:a\s+)?(?:message|msg)|no\s+answer|didn't\s+pick\s+up"
    r"|buzon\s+de\s+voz|contestador|no\s+contesta|mailbox|anrufbeantworter|nicht\s+erreicht"
    r"|boite\s+vocale|messagerie|message\s+vocal|pas\s+de\s+reponse)"
)
# An explicit date is surer than a relative phrase, and either than a habit.
EXPLICIT, RELATIVE, TASK_DUE, CADENCE = 0.85, 0.7, 0.5, 0.3
DEADLINE_BONUS, LATE_PENALTY = 0.05, 0.2
UNASKED_PENALTY = 0.25  # a date the text names without anyone asking for it: weaker evidence

Choice = tuple[datetime, float, str]  # due, confidence, rationale


def written_at(activity: Activity, now: datetime, zone: tzinfo = UTC) -> datetime:
    """The moment relative phrases in the activity's text are read from, on ``zone``'s clock."""
    stamps: tuple[datetime | None, ...] = (
        (activity.created_at,) if activity.type == "task" or _booked(activity) else ()
    )
    stamps += (activity.occurred_at, activity.created_at, now)
    return d.in_zone(next(stamp for stamp in stamps if stamp is not None), zone)


def _booked(activity: Activity) -> bool:
    """A meeting logged before it takes place: its notes were written when it was booked."""
    start, created = activity.occurred_at, activity.created_at
    if activity.type != "meeting" or start is None or created is None:
        return False
    return start > created


def _meeting_ahead(activity: Activity, now: datetime) -> date | None:
    start = activity.occurred_at
    if activity.type != "meeting" or start is None or start <= now:
        return None
    return d.in_zone(start, now.tzinfo or UTC).date()


def dated_text(activity: Activity) -> str:
    """The text dates are read from: the subject and the newest message of the body, not the
    older messages quoted under it (the full body stays on the activity for other uses). A
    completed task's subject is what was done, no longer an ask."""
    body = newest_message(activity.body)
    done = activity.type == "task" and not _open_task(activity)
    return body if done else f"{activity.subject}\n{body}"


def plan_touch(
    activity: Activity, now: datetime, zone: tzinfo = UTC, country: str | None = None
) -> tuple[TouchDate, Mention | None]:
    """The recommended touch date and the phrase it came from, if any, in ``zone``; public
    holidays in ``country`` are not business days."""
    anchor, now = written_at(activity, now, zone), d.in_zone(now, zone)
    text = dated_text(activity)
    ahead = _meeting_ahead(activity, now)
    read = read_next_touch(text, find_mentions(text, anchor.date(), country, ahead))
    mention = read.mention
    floor = max(anchor, now)
    due, confidence, rationale = _base(activity, read, anchor, now, zone, country)
    if _answers_soon(activity, read):  # what is owed now comes first
        soon = _cadence(activity, anchor, now, country)
        if soon[0] < due:
            (due, confidence, rationale), mention = soon, None
    due, rationale = _before_meeting(activity, due, rationale, floor, country)
    if read.floor is not None and _held_back(read.floor, mention, due):
        due, rationale = d.at_hour(read.floor.due, d.DUE_HOUR, zone), _why(read.floor)
        confidence, mention = _confidence(read.floor), read.floor
    due = _off_holidays(due, floor, country, earlier=bool(mention and mention.deadline))
    if due <= floor:  # the date has passed by the time we read it: the next business day
        due = _business_days_after(floor, 1, country)
        confidence, rationale = confidence - LATE_PENALTY, f"{rationale} That has passed."
    start_day = d.previous_working_day(due.date(), country)
    start = d.at_hour(start_day, d.START_HOUR, due.tzinfo or zone)
    touch = TouchDate(
        recommended_start=min(max(start, floor), due),
        recommended_due=due,
        confidence=round(max(confidence, 0.1), 3),
        rationale=rationale,
    )
    return touch, mention


def _base(
    activity: Activity,
    read: NextTouch,
    anchor: datetime,
    now: datetime,
    zone: tzinfo,
    country: str | None,
) -> Choice:
    """An open task is due when the rep set it; otherwise the date asked for, or a cadence."""
    mention, asked = read.mention, read.asked
    if _open_task(activity):  # the rep's own due date, unless the text asks for it sooner
        task = _task_due(activity, now, country)
        overdue = _task_overdue(activity, now)
        sooner = mention is not None and mention.deadline and mention.due < task[0].date()
        if not (sooner or (overdue and mention is not None)):
            return task
    if mention is not None:
        # A deadline or a hold commits on its own; a plain date no one asked for does not.
        unasked = not asked and not (mention.deadline or mention.not_before)
        confidence = _confidence(mention) - UNASKED_PENALTY * unasked
        return d.at_hour(mention.due, d.DUE_HOUR, zone), confidence, _why(mention)
    return _cadence(activity, anchor, now, country)


def _answers_soon(activity: Activity, read: NextTouch) -> bool:
    """Whether something is owed at the cadence whatever later date the text names: a
    reply to an upset contact, or proposing times for a meeting wanted before a date."""
    if _open_task(activity):
        return False
    found = attention(f"{activity.subject}\n{activity.body}")
    upset = found is not None and found.flag == "hostile"
    return upset or read.to_schedule


def _held_back(floor: Mention, mention: Mention | None, due: datetime) -> bool:
    """Whether someone's absence or a hold moves ``due`` later. A deadline set before the
    absence stands ("send it by Friday; I'm out until the 16th"); one that falls at its end
    is met on return ("out until the 7th; have it ready by then")."""
    if due.date() >= floor.due:
        return False
    if mention is not None and mention.deadline:
        return mention.due >= d.previous_business_day(floor.due)
    return True


def _before_meeting(
    activity: Activity, due: datetime, rationale: str, floor: datetime, country: str | None
) -> tuple[datetime, str]:
    """A meeting still ahead is prepared for: due by the working day before it, at the latest."""
    start = activity.occurred_at
    if activity.type != "meeting" or start is None or start <= floor:
        return due, rationale
    zone = due.tzinfo or UTC
    start = d.in_zone(start, zone)
    eve = d.at_hour(d.previous_working_day(start.date(), country), d.DUE_HOUR, zone)
    if due < eve:
        return due, rationale
    latest = max(eve, min(floor.replace(hour=d.DUE_HOUR, minute=0, second=0), start))
    return latest, f"The meeting is on {start:%a %b} {start.day}: due before it."


def _off_holidays(due: datetime, floor: datetime, country: str | None, earlier: bool) -> datetime:
    """``due`` moved off a public holiday: to the working day before for a deadline (work
    is done before the office closes), when that is still ahead, else to the one after."""
    if d.is_working_day(due.date(), country):
        return due
    if earlier:
        before = _on_day(due, d.previous_working_day(due.date(), country))
        if before > floor:
            return before
    return _on_day(due, d.next_working_day(due.date(), country))


def _on_day(moment: datetime, day: date) -> datetime:
    """``moment``'s time of day on another ``day``."""
    return moment.replace(year=day.year, month=day.month, day=day.day)


def _confidence(mention: Mention) -> float:
    return (EXPLICIT if mention.explicit else RELATIVE) + DEADLINE_BONUS * mention.deadline


def _why(mention: Mention) -> str:
    due = f"{mention.due:%a %b} {mention.due.day}"
    if mention.before:
        return f'Needed before "{mention.phrase}", so due the business day before: {due}.'
    if mention.not_before:
        return f'Not before "{mention.phrase}", so due the first business day then: {due}.'
    return f'The activity says "{mention.phrase}": due {due}.'


def _open_task(activity: Activity) -> bool:
    return activity.type == "task" and (activity.task_status or "").upper() != "COMPLETED"


def _task_overdue(activity: Activity, now: datetime) -> bool:
    task_due = activity.due_at or activity.occurred_at
    return task_due is None or d.in_zone(task_due, now.tzinfo or UTC) <= now


def _task_due(activity: Activity, now: datetime, country: str | None) -> Choice:
    """The rep's own due date; an overdue task is due today while the day lasts."""
    task_due = activity.due_at or activity.occurred_at
    if task_due is not None and not _task_overdue(activity, now):
        why = "No date asked for in the text: the task's own due date."
        return d.in_zone(task_due, now.tzinfo or UTC), TASK_DUE, why
    today = d.at_hour(now.date(), d.DUE_HOUR, now.tzinfo or UTC)
    if now < today and d.is_working_day(now.date(), country):
        return today, CADENCE, "No date asked for and the task is overdue: today."
    why = "No date asked for and the task is overdue: the next business day."
    return _business_days_after(now, 1, country), CADENCE, why


def _cadence(activity: Activity, anchor: datetime, now: datetime, country: str | None) -> Choice:
    days, kind = _cadence_for(activity)
    why = f"No date asked for: {days} business day(s) after {kind}."
    return _business_days_after(max(anchor, now), days, country), CADENCE, why


def _cadence_for(activity: Activity) -> tuple[int, str]:
    if activity.type == "task":
        return COMPLETED_TASK_DAYS, "a completed task"
    if activity.type in ("call", "note") and _NO_CONNECT.search(fold(activity.body)):
        return NO_CONNECT_DAYS, "a call that did not connect"
    if activity.type != "email":
        return CADENCE_DAYS[activity.type], f"a {activity.type}"
    inbound = _inbound(activity)
    return EMAIL_DAYS[inbound], "an inbound email" if inbound else "an outbound email"


def _inbound(activity: Activity) -> bool:
    return activity.type == "email" and (activity.direction or "").upper() in INBOUND_DIRECTIONS


def _business_days_after(moment: datetime, days: int, country: str | None) -> datetime:
    """End of the ``days``-th working day after ``moment``'s date, on ``moment``'s clock."""
    day = d.add_working_days(moment.date(), days, country)
    return d.at_hour(day, d.DUE_HOUR, moment.tzinfo or UTC)
