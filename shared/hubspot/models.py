"""One typed ``Activity`` for all five HubSpot activity types, and what we know of each type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

ActivityTypeName = Literal["task", "note", "meeting", "call", "email"]


# A meeting's internal notes are for the rep's team only: they reach the body under this
# heading, so nothing built for the customer is taken from them (``shared.llm.internal``).
INTERNAL_NOTES_PROPERTY = "hs_internal_meeting_notes"
INTERNAL_NOTES_HEADING = "Internal notes:"


@dataclass(frozen=True)
class ActivityKind:
    """How one activity type is named and shaped in HubSpot's CRM API."""

    name: ActivityTypeName
    object_type: str  # the path segment: /crm/objects/{version}/{object_type}
    type_id: str  # objectTypeId in webhook events
    subject_property: str | None
    body_properties: tuple[str, ...]  # joined, in order, into the plain-text body
    extra_properties: tuple[str, ...] = ()

    @property
    def properties(self) -> list[str]:
        common = ["hs_timestamp", "hubspot_owner_id", "hs_createdate", "hs_lastmodifieddate"]
        subject = [self.subject_property] if self.subject_property else []
        return [*common, *subject, *self.body_properties, *self.extra_properties]


KINDS: tuple[ActivityKind, ...] = (
    ActivityKind(
        "task",
        "tasks",
        "0-27",
        "hs_task_subject",
        ("hs_task_body",),
        ("hs_task_status", "hs_task_priority", "hs_task_type"),
    ),
    ActivityKind("note", "notes", "0-46", None, ("hs_note_body",)),
    ActivityKind(
        "meeting",
        "meetings",
        "0-47",
        "hs_meeting_title",
        ("hs_meeting_body", INTERNAL_NOTES_PROPERTY),
        ("hs_meeting_start_time", "hs_meeting_end_time", "hs_meeting_outcome"),
    ),
    ActivityKind(
        "call",
        "calls",
        "0-48",
        "hs_call_title",
        ("hs_call_body",),
        ("hs_call_direction", "hs_call_duration", "hs_call_status"),
    ),
    ActivityKind(
        "email",
        "emails",
        "0-49",
        "hs_email_subject",
        ("hs_email_text",),
        ("hs_email_html", "hs_email_direction", "hs_email_status", "hs_email_headers"),
    ),
)
# By plain str: names arrive as text (stored rows, webhook events) and are looked up as they are.
KIND_BY_NAME: dict[str, ActivityKind] = {kind.name: kind for kind in KINDS}
KIND_BY_TYPE_ID = {kind.type_id: kind for kind in KINDS}
KIND_BY_OBJECT_TYPE = {kind.object_type: kind for kind in KINDS}

CONTACT_PROPERTIES = ["firstname", "lastname", "email", "jobtitle", "company"]
COMPANY_PROPERTIES = ["name", "domain", "industry"]
# What the approval API's CRM reads return, by object type.
READABLE_PROPERTIES = {
    "contacts": CONTACT_PROPERTIES,
    "companies": COMPANY_PROPERTIES,
    **{kind.object_type: kind.properties for kind in KINDS},
}
DEAL_PROPERTIES = [
    *("dealname", "dealstage", "amount", "closedate", "pipeline"),
    *("hs_is_closed", "hs_is_closed_won"),
]


class Contact(BaseModel):
    id: str
    name: str = ""
    email: str | None = None
    job_title: str | None = None
    company: str | None = None


class Company(BaseModel):
    id: str
    name: str = ""
    domain: str | None = None
    industry: str | None = None


class Deal(BaseModel):
    """A deal as the prompt shows it; ``stage`` is the pipeline stage's internal id."""

    id: str
    name: str = ""
    stage: str | None = None
    amount: str | None = None  # as HubSpot sends it: a decimal string, in the deal's currency
    close_date: datetime | None = None
    closed: bool = False


class PastActivity(BaseModel):
    """An earlier activity of the same contact (or company), trimmed for the prompt."""

    id: str
    type: ActivityTypeName
    occurred_at: datetime | None = None
    direction: str | None = None
    subject: str = ""
    body: str = ""  # the beginning only


class Activity(BaseModel):
    """An activity as a prompt needs it: plain text, owner, dates and who it involves."""

    id: str
    type: ActivityTypeName
    owner_id: str | None = None
    owner_name: str = ""  # the rep who owns it, from the owners list: drafts are signed so
    occurred_at: datetime | None = None  # hs_timestamp; for a task this is its due date
    created_at: datetime | None = None
    updated_at: datetime | None = None  # hs_lastmodifieddate: the version we processed
    subject: str = ""
    body: str = ""
    direction: str | None = None
    task_status: str | None = None
    task_priority: str | None = None
    meeting_outcome: str | None = None  # hs_meeting_outcome: SCHEDULED, COMPLETED, NO_SHOW...
    due_at: datetime | None = None
    contacts: list[Contact] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)
    # The contact the drafts are for: an inbound email's sender, else the first contact.
    addressee_id: str | None = None
    # Context fetched with the activity (``shared.hubspot.context``); empty without it.
    history: list[PastActivity] = Field(default_factory=list)
    open_deal: Deal | None = None

    @property
    def kind(self) -> ActivityKind:
        return KIND_BY_NAME[self.type]

    @property
    def addressee(self) -> Contact | None:
        found = [c for c in self.contacts if c.id == self.addressee_id]
        return found[0] if found else (self.contacts[0] if self.contacts else None)

    @property
    def version(self) -> str:
        """Identifies this edit of the activity; a later edit is processed again."""
        return self.updated_at.isoformat() if self.updated_at else ""


class Owner(BaseModel):
    id: str
    email: str | None = None
    first_name: str = ""
    last_name: str = ""
    user_id: int | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
