"""The HubSpot properties an accepted result becomes.

A task activity is updated in place: the accepted draft becomes its body, the applied dates
its due date (``hs_timestamp``) and reminder. Any other activity gets one follow-up task,
owned by the activity's owner and associated with its contacts and companies, carrying the
draft and the due date; a later job of the same run updates that task instead of adding one.
"""

from __future__ import annotations

from datetime import datetime

from shared.hubspot.models import Activity
from shared.store.rows import ClaimedJob

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


def task_update(job: ClaimedJob) -> dict[str, str]:
    """Properties for updating an existing task with this job's part only."""
    if job.kind == "draft":
        return {"hs_task_body": accepted_text(job) or ""}
    start, due = accepted_dates(job)
    properties = {"hs_timestamp": _millis(due)} if due else {}
    if start:
        properties["hs_task_reminders"] = _millis(start)
    return properties


def follow_up_task(job: ClaimedJob, activity: Activity) -> dict[str, str]:
    """Properties of a new follow-up task for a non-task activity."""
    start, due = accepted_dates(job)
    subject = activity.subject or f"{activity.type.title()} {activity.id}"
    properties = {
        "hs_task_subject": f"Follow up: {subject}"[:MAX_SUBJECT],
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


def associations(activity: Activity) -> dict[str, list[str]]:
    return {
        "contacts": [c.id for c in activity.contacts],
        "companies": [c.id for c in activity.companies],
    }


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))
