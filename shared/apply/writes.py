"""The HubSpot properties an accepted draft or date becomes.

A task activity is updated in place: the accepted draft goes below the notes the rep already
wrote (``hs_task_body``), or replaces them when the rep chose so, and the applied dates become
its due date (``hs_timestamp``) and reminder. Any other activity gets one follow-up task, owned
by the activity's owner and associated with its contacts and companies, carrying the draft and
the due date; a later job of the same run updates that task instead of adding one. Nothing is
sent to the contact: every write is a task for the rep.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from shared.hubspot.account import AccountDetails
from shared.hubspot.models import Activity
from shared.hubspot.parse import parse_timestamp
from shared.store.rows import ClaimedJob, TaskBody

# A custom task property the portal set-up creates: the job that created a follow-up task,
# so a job retried after a crash finds its task instead of creating a second one.
JOB_ID_PROPERTY = "hubspot_ai_job_id"
MAX_SUBJECT = 200


def accepted_text(job: ClaimedJob) -> str | None:
    if job.kind != "draft" or job.draft_text is None:
        return None
    return job.edited_text or job.draft_text


def accepted_dates(job: ClaimedJob) -> tuple[datetime | None, datetime | None]:
    """(reminder, due) to write: the rep's adjusted dates over the recommended ones."""
    recommended, adjusted = job.recommended, job.adjusted
    if job.kind != "recommendation":
        return recommended.start, recommended.due
    return adjusted.start or recommended.start, adjusted.due or recommended.due


def task_update(job: ClaimedJob, current_body: str | None = None) -> dict[str, str]:
    """Properties for updating an existing task with this job's part only; ``current_body``
    is the task's notes as HubSpot stores them, which an appended draft goes below."""
    if job.kind == "draft":
        return {
            "hs_task_body": body_with_draft(current_body, accepted_text(job) or "", job.task_body)
        }
    start, due = accepted_dates(job)
    properties = {"hs_timestamp": _millis(due)} if due else {}
    if start:
        properties["hs_task_reminders"] = _millis(start)
    return properties


# HubSpot keeps task notes as rich text; these tags mean the notes are HTML, not plain text.
_HTML_TAG = re.compile(r"</?(p|br|div|span|ul|ol|li|strong|em|b|i|a)\b", re.IGNORECASE)


def body_with_draft(current: str | None, draft: str, placement: TaskBody) -> str:
    """The task's notes once the draft is accepted: below what is there (a blank line
    between), in the same form (HTML notes get the draft as HTML), or instead of it."""
    existing = (current or "").rstrip()
    if placement == "replace" or not existing.strip():
        return draft
    if _HTML_TAG.search(existing):
        return f"{existing}<br><br>{html.escape(draft).replace(chr(10), '<br>')}"
    return f"{existing}\n\n{draft}"


def follow_up_subject(activity: Activity) -> str:
    subject = activity.subject or f"{activity.type.title()} {activity.id}"
    return f"Follow up: {subject}"[:MAX_SUBJECT]


def follow_up_task(job: ClaimedJob, activity: Activity) -> dict[str, str]:
    """Properties of a new follow-up task for a non-task activity."""
    start, due = accepted_dates(job)
    properties = {
        "hs_task_subject": follow_up_subject(activity),
        "hs_task_body": accepted_text(job) or "",
        "hs_task_status": "NOT_STARTED",
        "hs_task_type": "TODO",
        "hs_timestamp": _millis(due or datetime.now().astimezone()),
        JOB_ID_PROPERTY: str(job.id),
    }
    if start:
        properties["hs_task_reminders"] = _millis(start)
    if activity.owner_id:
        properties["hubspot_owner_id"] = activity.owner_id
    return properties


def written_task(
    task: dict[str, Any], sent: dict[str, str], activity: Activity, account: AccountDetails | None
) -> dict[str, Any]:
    """What the rep is shown once the job is applied: the task's subject and due date as
    HubSpot answered (else as sent, else as the activity had them), and where to open it."""
    answered = task.get("properties") or {}
    created = "hs_task_subject" in sent  # only a new follow-up task is given a subject
    subject = answered.get("hs_task_subject") or sent.get("hs_task_subject")
    if not subject:
        subject = activity.subject if activity.type == "task" else follow_up_subject(activity)
    due = parse_timestamp(answered.get("hs_timestamp") or sent.get("hs_timestamp"))
    return {
        "task_id": str(task["id"]),
        "created": created,
        "subject": subject,
        "due_at": _iso(due or (activity.due_at if activity.type == "task" else None)),
        "record_url": _record_url(activity, account),
    }


def _record_url(activity: Activity, account: AccountDetails | None) -> str | None:
    """The contact (else the company) the task sits on: HubSpot shows tasks on its record."""
    if account is None:
        return None
    if activity.contacts:
        return account.record_url("0-1", activity.contacts[0].id)
    if activity.companies:
        return account.record_url("0-2", activity.companies[0].id)
    return None


def associations(activity: Activity) -> dict[str, list[str]]:
    return {
        "contacts": [c.id for c in activity.contacts],
        "companies": [c.id for c in activity.companies],
    }


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
