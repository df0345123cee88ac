"""The versioned prompt: templates in ``prompts/``, filled from one activity.

The activity travels as a JSON block between markers, so a real model reads exact values
and the local heuristic model can parse the same prompt back without guessing.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from shared.hubspot.models import Activity
from shared.llm.internal import written_by
from shared.llm.schema import Suggestions
from shared.llm.thread import newest_message

PROMPTS_DIR = Path(__file__).parent / "prompts"
PROMPT_NAME = "suggestions_v1"
PROMPT_VERSION = PROMPT_NAME.replace("_", "-")
ACTIVITY_START = "<activity_json>"
ACTIVITY_END = "</activity_json>"
# Bodies are plain text but can be whole email threads; the first part carries the ask.
MAX_BODY_CHARS = 6000
_ACTIVITY_FIELDS = {
    *("id", "type", "owner_name", "subject", "body", "direction", "task_status", "task_priority"),
    *("occurred_at", "created_at", "due_at", "contacts", "companies"),
}
_OPPORTUNITY_RULES = {
    True: "when the text shows buying signals (pricing, budget, seats, contract, signed, "
    'lost, not interested...), an object with probability (0 to 1) and status ("open", '
    '"won" or "lost"); otherwise null.',
    False: "always null.",
}


@cache
def _template(part: str) -> Template:
    return Template((PROMPTS_DIR / f"{PROMPT_NAME}.{part}.txt").read_text(encoding="utf-8"))


@cache
def _schema_json() -> str:
    return json.dumps(Suggestions.model_json_schema())


def activity_payload(
    activity: Activity, now: datetime, include_opportunity: bool, time_zone: str = "UTC"
) -> dict:
    """What the model is told about the activity, as JSON-ready values.

    ``today`` is on the account's clock (``time_zone``, an IANA name), with its offset.
    """
    fields = activity.model_dump(mode="json", include=_ACTIVITY_FIELDS)
    # An email's body is its newest message; the quoted history is dropped, not trimmed: its
    # dates and asks are not the current ask (they were read as one), the earlier messages
    # are usually logged as activities of their own, and a thread can be many times longer
    # than what was written this time. Signatures and disclaimers go too.
    if activity.type == "email":
        fields["body"] = newest_message(fields["body"])
    fields["body"] = fields["body"][:MAX_BODY_CHARS]
    fields["written_by"] = written_by(activity)
    local_now = now.astimezone(ZoneInfo(time_zone))
    return {
        "today": local_now.isoformat(),
        "time_zone": time_zone,
        "include_opportunity": include_opportunity,
        **fields,
    }


def render_messages(
    activity: Activity, now: datetime, include_opportunity: bool, time_zone: str = "UTC"
) -> list[dict[str, str]]:
    """The system and user messages for one activity, dated in the account's time zone."""
    payload = activity_payload(activity, now, include_opportunity, time_zone)
    local_now = datetime.fromisoformat(payload["today"])
    # "<" escaped: no text in the activity can close the block early.
    block = json.dumps(payload, indent=2, ensure_ascii=False).replace("<", "\\u003c")
    system = _template("system").substitute(
        schema=_schema_json(),
        opportunity_rule=_OPPORTUNITY_RULES[include_opportunity],
    )
    user = _template("user").substitute(
        today=local_now.strftime("%A %Y-%m-%d %H:%M"),
        time_zone=time_zone,
        activity_type=activity.type,
        people=_people(activity),
        activity_start=ACTIVITY_START,
        activity_json=block,
        activity_end=ACTIVITY_END,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def render_repair(bad_output: str, errors: str) -> list[dict[str, str]]:
    """The turns appended to the conversation to ask once for corrected JSON."""
    request = _template("repair").substitute(errors=errors)
    return [{"role": "assistant", "content": bad_output}, {"role": "user", "content": request}]


def read_activity_block(text: str) -> dict[str, Any] | None:
    """The payload of the activity block in ``text``, or None when there is none."""
    start = text.find(ACTIVITY_START)
    end = text.find(ACTIVITY_END, start + 1)
    if start < 0 or end < 0:
        return None
    return json.loads(text[start + len(ACTIVITY_START) : end])


def _people(activity: Activity) -> str:
    people = [
        ", ".join(part for part in (c.name, c.job_title, c.company) if part)
        for c in activity.contacts
    ]
    people += [f"company {c.name}" for c in activity.companies if c.name]
    return "; ".join(person for person in people if person) or "none recorded"
