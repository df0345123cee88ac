"""The HubSpot properties an accepted result becomes.

A task activity is updated in place: the accepted draft becomes its body, the applied dates
its due date (``hs_timestamp``) and reminder. Any other activity gets one follow-up task,
owned by the activity's owner and associated with its contacts and companies, carrying the
draft and the due date; a later job of the same run updates that task instead of adding one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.hubspot.models import Activity

# A custom task property the portal set-up creates: the job that created a follow-up task,
# so a job retried after a crash finds its task instead of creating a second one.
JOB_ID_PROPERTY = "hubspot_ai_job_id"
MAX_SUBJECT = 200


def accepted_text(job: dict[str, Any]) -> str | None:
    if job["kind"] != "draft" or not job.get("draft"):
        return None
    return job["payload"].get("text") or job["draft"]["draft_text"]


def accepted_dates(job: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """(reminder, due) to write: the rep's adjusted dates over the recommended ones."""
    recommendation = job.get("recommendation") or {}
    chosen = (
        {**recommendation, **job["payload"]} if job["kind"] == "recommendation" else recommendation
    )
    start, due = chosen.get("recommended_start"), chosen.get("recommended_due")
    return (_parse(start), _parse(due))


def task_update(job: dict[str, Any]) -> dict[str, str]:
    """Properties for updating an existing task with this job's part only."""
    if job["kind"] == "draft":
        return {"hs_task_body": accepted_text(job) or ""}
    start, due = accepted_dates(job)
    properties = {"hs_timestamp": _millis(due)} if due else {}
    if start:
        properties["hs_task_reminders"] = _millis(start)
    return properties


def follow_up_task(job: dict[str, Any], activity: Activity) -> dict[str, str]:
    """Properties of a new follow-up task for a non-task activity."""
    start, due = accepted_dates(job)
    subject = activity.subject or f"{activity.type.title()} {activity.id}"
    properties = {
        "hs_task_subject": f"Follow up: {subject}"[:MAX_SUBJECT],
        "hs_task_body": accepted_text(job) or "",
        "hs_task_status": "NOT_STARTED",
        "hs_task_type": "TODO",
        "hs_timestamp": _millis(due or datetime.now().astimezone()),
        JOB_ID_PROPERTY: str(job["id"]),
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


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _millis(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))
