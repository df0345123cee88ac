"""A write HubSpot refused, told in words a rep can act on.

From the 2026-09 API version HubSpot validates every write (conditionally required
properties, association permissions) on top of the rules a portal's admins set, and answers
400 VALIDATION_ERROR with one entry per property. The rep is told which field of the task
HubSpot wanted, what HubSpot said, and what to do next.
"""

from __future__ import annotations

from typing import Any

from shared.hubspot.errors import HubSpotError

# The names HubSpot's task form shows for the properties an apply writes or HubSpot requires.
FIELD_LABELS = {
    "hs_task_subject": "Task title",
    "hs_task_body": "Notes",
    "hs_timestamp": "Due date",
    "hs_task_reminders": "Reminder",
    "hs_task_priority": "Priority",
    "hs_task_type": "Task type",
    "hs_task_status": "Status",
    "hubspot_owner_id": "Assigned to",
}
NEXT_STEP = (
    "Fill in or correct it in HubSpot, or ask your HubSpot admin about the rule, "
    "then accept the suggestion again."
)


def refusal_reason(exc: HubSpotError) -> str | None:
    """The rep's explanation of a VALIDATION_ERROR; None for any other failure."""
    if exc.status != 400 or exc.category != "VALIDATION_ERROR":
        return None
    problems = [_problem(error) for error in exc.errors] or [str(exc)]
    return f"HubSpot did not accept the task: {'; '.join(problems)}. {NEXT_STEP}"


def _problem(error: dict[str, Any]) -> str:
    names = (error.get("context") or {}).get("propertyName") or []
    message = str(error.get("message") or "not valid")
    if not names:
        return message
    name = str(names[0])
    label = FIELD_LABELS.get(name)
    return f"{label} ({name}): {message}" if label else f"{name}: {message}"
