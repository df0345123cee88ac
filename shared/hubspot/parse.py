"""Turn HubSpot's object JSON (all-string properties) into our typed models."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shared.hubspot.models import (
    INTERNAL_NOTES_HEADING,
    INTERNAL_NOTES_PROPERTY,
    Activity,
    ActivityKind,
    Company,
    Contact,
    Deal,
    Owner,
)
from shared.hubspot.text import html_to_text


def parse_timestamp(value: str | None) -> datetime | None:
    """HubSpot sends ISO-8601 strings, or epoch milliseconds on older properties."""
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_activity(
    kind: ActivityKind, obj: Mapping[str, Any], contacts: list[Contact], companies: list[Company]
) -> Activity:
    props: Mapping[str, str | None] = obj.get("properties") or {}
    parts = (_body_part(name, props.get(name)) for name in kind.body_properties)
    body = "\n\n".join(text for text in parts if text)
    if not body and kind.name == "email":
        body = html_to_text(props.get("hs_email_html"))
    occurred_at = parse_timestamp(props.get("hs_timestamp"))
    return Activity(
        id=str(obj["id"]),
        type=kind.name,
        owner_id=props.get("hubspot_owner_id") or None,
        occurred_at=occurred_at,
        created_at=parse_timestamp(props.get("hs_createdate")),
        updated_at=parse_timestamp(props.get("hs_lastmodifieddate")),
        subject=html_to_text(props.get(kind.subject_property)) if kind.subject_property else "",
        body=body,
        direction=props.get("hs_email_direction") or props.get("hs_call_direction"),
        task_status=props.get("hs_task_status"),
        task_priority=props.get("hs_task_priority"),
        meeting_outcome=props.get("hs_meeting_outcome"),
        due_at=occurred_at if kind.name == "task" else None,
        contacts=contacts,
        companies=companies,
        addressee_id=addressee_id(props, contacts),
    )


def addressee_id(props: Mapping[str, str | None], contacts: list[Contact]) -> str | None:
    """The contact a reply goes to, when an email's headers say: the sender of an inbound
    email, the first recipient of an outbound one (when they are among the contacts). None
    otherwise: whoever the text names is left to the model (``Activity.addressee`` falls
    back to the first contact)."""
    by_email = {c.email.lower(): c.id for c in contacts if c.email}
    for email in _correspondents(props):
        if email.lower() in by_email:
            return by_email[email.lower()]
    return None


def _correspondents(props: Mapping[str, str | None]) -> list[str]:
    """The other party's addresses, from the email's headers (JSON) as HubSpot logs them."""
    try:
        headers = json.loads(props.get("hs_email_headers") or "{}")
    except ValueError:
        return []
    if not isinstance(headers, dict):
        return []
    inbound = props.get("hs_email_direction") == "INCOMING_EMAIL"
    people = [headers.get("from")] if inbound else list(headers.get("to") or [])
    return [p["email"] for p in people if isinstance(p, dict) and isinstance(p.get("email"), str)]


def parse_contact(obj: Mapping[str, Any]) -> Contact:
    props = obj.get("properties") or {}
    name = " ".join(p for p in (props.get("firstname"), props.get("lastname")) if p)
    return Contact(
        id=str(obj["id"]),
        name=name,
        email=props.get("email"),
        job_title=props.get("jobtitle"),
        company=props.get("company"),
    )


def parse_company(obj: Mapping[str, Any]) -> Company:
    props = obj.get("properties") or {}
    return Company(
        id=str(obj["id"]),
        name=props.get("name") or "",
        domain=props.get("domain"),
        industry=props.get("industry"),
    )


def parse_deal(obj: Mapping[str, Any]) -> Deal:
    props = obj.get("properties") or {}
    stage = props.get("dealstage") or None
    closed = props.get("hs_is_closed")
    return Deal(
        id=str(obj["id"]),
        name=props.get("dealname") or "",
        stage=stage,
        amount=props.get("amount") or None,
        close_date=parse_timestamp(props.get("closedate")),
        # HubSpot computes hs_is_closed from the stage; the default pipeline's closed stages
        # stand in where a portal does not return it.
        closed=closed == "true" if closed else stage in ("closedwon", "closedlost"),
    )


def parse_owner(obj: Mapping[str, Any]) -> Owner:
    """A PublicOwner as HubSpot's JSON spells it (camelCase)."""
    return Owner(
        id=str(obj["id"]),
        email=obj.get("email"),
        first_name=obj.get("firstName") or "",
        last_name=obj.get("lastName") or "",
        user_id=obj.get("userId"),
    )


def _body_part(name: str, value: str | None) -> str:
    """One body property as text; the meeting's internal notes under their heading."""
    text = html_to_text(value)
    return f"{INTERNAL_NOTES_HEADING}\n{text}" if text and name == INTERNAL_NOTES_PROPERTY else text
