"""The versioned prompt: templates in ``prompts/``, filled from one activity.

The activity travels as a JSON block between markers, so a real model reads exact values
and the local heuristic model can parse the same prompt back without guessing. Its context
rides along in the block: the contact to write to when there are several (``addressee_id``),
the open deal, and the contact's earlier activities (``history``), one line each, cut to fit
``HISTORY_MAX_TOKENS``. So does the rep's voice (``rep_voice_examples``): drafts they edited
before accepting them, newest first, as many whole ones as fit ``VOICE_MAX_TOKENS``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from shared.hubspot.models import Activity, Deal, PastActivity
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
# The history's share of the prompt, at about 4 characters a token (``heuristic``).
HISTORY_MAX_TOKENS = 280
CHARS_PER_TOKEN = 4
SUBJECT_CHARS = 80
# The rep's edited drafts: the model writes in their voice; examples are kept whole.
VOICE_MAX_TOKENS = 300
VOICE_KEY = "rep_voice_examples"
CONTEXT_KEYS = ("open_deal", "history", VOICE_KEY)  # addressee_id is the activity's own field
_HISTORY_KEY = ',\n  "history": [\n  ]'
_ACTIVITY_FIELDS = {
    *("id", "type", "owner_name", "subject", "body", "direction", "task_status", "task_priority"),
    "meeting_outcome",
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
    activity: Activity,
    now: datetime,
    include_opportunity: bool,
    time_zone: str = "UTC",
    voice_examples: Sequence[str] = (),
) -> dict[str, Any]:
    """What the model is told about the activity, as JSON-ready values.

    ``today`` is on the account's clock (``time_zone``, an IANA name), with its offset.
    ``voice_examples``: texts the rep sent after editing a draft, newest first.
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
    if fields["meeting_outcome"] is None:  # said only of a meeting that has one
        del fields["meeting_outcome"]
    zone = ZoneInfo(time_zone)
    local_now = now.astimezone(zone)
    return {
        "today": local_now.isoformat(),
        "time_zone": time_zone,
        "include_opportunity": include_opportunity,
        **fields,
        **_context(activity, zone),
        **_voice(voice_examples),
    }


def activity_from_payload(payload: dict[str, Any]) -> Activity:
    """The activity a payload describes, its addressee included (its context left out)."""
    return Activity.model_validate({k: v for k, v in payload.items() if k not in CONTEXT_KEYS})


def history_lines(items: list[PastActivity], zone: ZoneInfo, max_chars: int) -> list[str]:
    """One line per earlier activity, newest first; bodies shortened, the longest first,
    so that the lines (as JSON strings) take at most ``max_chars``."""
    heads = [_head(item, zone) for item in items]
    while heads and sum(len(head) + 8 for head in heads) > max_chars:
        heads.pop()  # the oldest goes when even the headings do not fit
    room = max_chars - sum(len(head) + 8 for head in heads)
    bodies = _shares([items[n].body for n in range(len(heads))], room)
    return [f"{head} — {body}" if body else head for head, body in zip(heads, bodies, strict=True)]


def render_messages(
    activity: Activity,
    now: datetime,
    include_opportunity: bool,
    time_zone: str = "UTC",
    voice_examples: Sequence[str] = (),
) -> list[dict[str, str]]:
    """The system and user messages for one activity, dated in the account's time zone."""
    payload = activity_payload(activity, now, include_opportunity, time_zone, voice_examples)
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
    payload: dict[str, Any] = json.loads(text[start + len(ACTIVITY_START) : end])
    return payload


def _context(activity: Activity, zone: ZoneInfo) -> dict[str, Any]:
    """The context keys that have something to say; absent ones cost no tokens."""
    context: dict[str, Any] = {}
    # Said only when known (an email's sender); one contact speaks for itself.
    if activity.addressee_id and len(activity.contacts) > 1:
        context["addressee_id"] = activity.addressee_id
    if activity.open_deal is not None:
        context["open_deal"] = _deal(activity.open_deal)
    max_chars = HISTORY_MAX_TOKENS * CHARS_PER_TOKEN - len(_HISTORY_KEY)
    if lines := history_lines(activity.history, zone, max_chars):
        context["history"] = lines
    return context


def _voice(examples: Sequence[str]) -> dict[str, list[str]]:
    """The newest examples that fit the budget whole (a cut example would teach a cut voice)."""
    room, kept = VOICE_MAX_TOKENS * CHARS_PER_TOKEN, []
    for example in examples:
        room -= len(json.dumps(example, ensure_ascii=False)) + 4
        if room < 0:
            break
        kept.append(example)
    return {VOICE_KEY: kept} if kept else {}


def _deal(deal: Deal) -> dict[str, Any]:
    close = deal.close_date.date().isoformat() if deal.close_date else None
    return {"name": deal.name, "stage": deal.stage, "amount": deal.amount, "close_date": close}


def _head(item: PastActivity, zone: ZoneInfo) -> str:
    when = item.occurred_at.astimezone(zone).date().isoformat() if item.occurred_at else "undated"
    direction = f" {item.direction.lower()}" if item.direction else ""
    subject = " ".join(item.subject.split())[:SUBJECT_CHARS]
    return f"{when} {item.type}{direction}" + (f": {subject}" if subject else "")


def _shares(bodies: list[str], room: int) -> list[str]:
    """Each body cut to an equal share of ``room``; what a short one leaves goes to others."""
    cut = list(bodies)
    order = sorted(range(len(bodies)), key=lambda n: len(bodies[n]))
    for left, n in enumerate(order):
        share = max(0, room // (len(order) - left))
        cut[n] = bodies[n] if len(bodies[n]) <= share else bodies[n][: max(0, share - 1)] + "…"
        cut[n] = cut[n] if share > 1 else ""
        room -= len(cut[n]) + 3 * bool(cut[n])
    return cut


def _people(activity: Activity) -> str:
    addressee = activity.addressee if activity.addressee_id and len(activity.contacts) > 1 else None
    people = [
        ", ".join(part for part in (c.name, c.job_title, c.company) if part)
        + (" (write to)" if c == addressee else "")
        for c in activity.contacts
    ]
    people += [f"company {c.name}" for c in activity.companies if c.name]
    return "; ".join(person for person in people if person) or "none recorded"
