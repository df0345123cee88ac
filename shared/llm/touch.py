"""When the rep should touch the deal next: the date the activity commits to, else a cadence.

Relative phrases are read from when the activity was written (a task's ``occurred_at`` is
its due date, so a task is read from its creation), on the account's calendar: "tomorrow"
is the day after in the account's time zone. Due dates fall at the end of a business day
there; the start is one business day earlier, never before the activity or now.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from shared.hubspot.models import Activity
from shared.llm import dates as d
from shared.llm.schema import TouchDate
from shared.llm.thread import newest_message
from shared.llm.when import Mention, find_mentions

# Business days from the activity to the follow-up when the text names no date.
CADENCE_DAYS = {"call": 2, "meeting": 1, "note": 5}
EMAIL_DAYS = {True: 1, False: 3}  # inbound: answer fast; outbound: give them time to reply
INBOUND_DIRECTIONS = {"INCOMING_EMAIL", "INBOUND"}
# An explicit date is surer than a relative phrase, and either than a habit.
EXPLICIT, RELATIVE, TASK_DUE, CADENCE = 0.85, 0.7, 0.55, 0.45
DEADLINE_BONUS, LATE_PENALTY = 0.05, 0.2

Choice = tuple[datetime, float, str]  # due, confidence, rationale


def written_at(activity: Activity, now: datetime, zone: tzinfo = UTC) -> datetime:
    """The moment relative phrases in the activity's text are read from, on ``zone``'s clock."""
    stamps = (activity.created_at,) if activity.type == "task" else ()
    stamps += (activity.occurred_at, activity.created_at, now)
    return d.in_zone(next(stamp for stamp in stamps if stamp is not None), zone)


def dated_text(activity: Activity) -> str:
    """The text dates are read from: the subject and the newest message of the body, not the
    older messages quoted under it (the full body stays on the activity for other uses)."""
    return f"{activity.subject}\n{newest_message(activity.body)}"


def plan_touch(
    activity: Activity, now: datetime, zone: tzinfo = UTC, country: str | None = None
) -> tuple[TouchDate, Mention | None]:
    """The recommended touch date and the phrase it came from, if any, in ``zone``; public
    holidays in ``country`` are not business days."""
    anchor, now = written_at(activity, now, zone), d.in_zone(now, zone)
    mentions = find_mentions(dated_text(activity), anchor.date(), country)
    mention = mentions[0] if mentions else None
    due, confidence, rationale = (
        _from_text(mention, zone) if mention else _cadence(activity, anchor, now, country)
    )
    floor = max(anchor, now)
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


def _off_holidays(due: datetime, floor: datetime, country: str | None, earlier: bool) -> datetime:
    """``due`` moved off a public holiday: to the working day before for a deadline (work
    is done before the office closes), when that is still ahead, else to the one after."""
    if d.is_working_day(due.date(), country):
        return due
    if earlier:
        before = due.replace(**_ymd(d.previous_working_day(due.date(), country)))
        if before > floor:
            return before
    return due.replace(**_ymd(d.next_working_day(due.date(), country)))


def _ymd(day: date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def _from_text(mention: Mention, zone: tzinfo) -> Choice:
    confidence = (EXPLICIT if mention.explicit else RELATIVE) + DEADLINE_BONUS * mention.deadline
    due = f"{mention.due:%a %b} {mention.due.day}"
    if mention.before:
        rationale = f'Needed before "{mention.phrase}", so due the business day before: {due}.'
    elif mention.not_before:
        rationale = f'Not before "{mention.phrase}", so due the first business day then: {due}.'
    else:
        rationale = f'The activity says "{mention.phrase}": due {due}.'

    return d.at_hour(mention.due, d.DUE_HOUR, zone), confidence, rationale


def _cadence(activity: Activity, anchor: datetime, now: datetime, country: str | None) -> Choice:
    task_due = activity.due_at or activity.occurred_at
    if activity.type == "task" and task_due is not None:
        task_due = d.in_zone(task_due, now.tzinfo or UTC)
        if task_due > now:
            return task_due, TASK_DUE, "No date in the text; the task's own due date."
        why = "No date in the text and the task is overdue: the next business day."
        return _business_days_after(max(anchor, now), 1, country), CADENCE, why
    days, kind = _cadence_for(activity)
    why = f"No date in the activity: {days} business day(s) after {kind}."
    return _business_days_after(max(anchor, now), days, country), CADENCE, why


def _cadence_for(activity: Activity) -> tuple[int, str]:
    if activity.type != "email":
        return CADENCE_DAYS[activity.type], f"a {activity.type}"
    inbound = (activity.direction or "").upper() in INBOUND_DIRECTIONS
    return EMAIL_DAYS[inbound], "an inbound email" if inbound else "an outbound email"


def _business_days_after(moment: datetime, days: int, country: str | None) -> datetime:
    """End of the ``days``-th working day after ``moment``'s date, on ``moment``'s clock."""
    day = d.add_working_days(moment.date(), days, country)
    return d.at_hour(day, d.DUE_HOUR, moment.tzinfo or UTC)
