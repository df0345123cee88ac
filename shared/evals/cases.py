"""The eval's labelled activities: how a rep logged them and what good suggestions do.

Cases live in YAML (``evals/cases.yaml``), written as reps log real activities. Times in a
case are local to the HubSpot account's time zone, as the rep saw them; the service is taken
to run a few minutes after the activity was logged.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.hubspot.models import Activity, ActivityTypeName, Company, Contact

# How long after the rep logs an activity the suggestions are made.
PROCESSING_DELAY = timedelta(minutes=3)
Alternatives = list[str]  # any one of these spellings counts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(_Strict):
    time_zone: str
    country: str


class Person(_Strict):
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    job_title: str | None = None
    company: str | None = None

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Organisation(_Strict):
    name: str
    domain: str | None = None
    industry: str | None = None


class Meeting(_Strict):
    start: datetime
    end: datetime | None = None
    outcome: str | None = None


class Task(_Strict):
    status: str = "NOT_STARTED"
    priority: str | None = None
    due: datetime | None = None


class DueRange(_Strict):
    earliest: date
    latest: date

    @model_validator(mode="after")
    def _ordered(self) -> DueRange:
        if self.earliest > self.latest:
            raise ValueError("due.earliest is after due.latest")
        return self


class Expectation(_Strict):
    follow_up: bool = True
    flag: Literal["opt_out", "legal", "hostile"] | None = None
    due: DueRange | None = None
    not_before: date | None = None
    must_mention: list[Alternatives] = Field(default_factory=list)
    must_not_mention: list[Alternatives] = Field(default_factory=list)
    tone_notes: str | None = None
    why: str | None = None

    @model_validator(mode="after")
    def _due_when_following_up(self) -> Expectation:
        if self.follow_up and self.due is None:
            raise ValueError("a case that expects a follow-up needs a due range")
        return self


class EvalCase(_Strict):
    id: str
    type: ActivityTypeName
    language: str
    account: Account
    logged_at: datetime
    owner: Person
    contacts: list[Person] = Field(default_factory=list)
    companies: list[Organisation] = Field(default_factory=list)
    subject: str = ""
    body: str = ""
    direction: str | None = None
    meeting: Meeting | None = None
    task: Task | None = None
    expect: Expectation

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.account.time_zone)

    def local(self, moment: datetime) -> datetime:
        """A case's wall-clock time in the account's zone, as an aware datetime."""
        return moment.replace(tzinfo=self.zone) if moment.tzinfo is None else moment

    @property
    def now(self) -> datetime:
        """When the service makes the suggestions."""
        return self.local(self.logged_at) + PROCESSING_DELAY

    def activity(self) -> Activity:
        """The activity as the pipeline would read it from HubSpot."""
        logged = self.local(self.logged_at)
        occurred = logged
        if self.meeting is not None:
            occurred = self.local(self.meeting.start)
        elif self.task is not None and self.task.due is not None:
            occurred = self.local(self.task.due)
        return Activity(
            id=self.id,
            type=self.type,
            owner_id="eval-owner",
            owner_name=self.owner.name,
            occurred_at=occurred,
            created_at=logged,
            updated_at=logged,
            subject=self.subject,
            body=self.body,
            direction=self.direction,
            task_status=self.task.status if self.task else None,
            task_priority=self.task.priority if self.task else None,
            meeting_outcome=self.meeting.outcome if self.meeting else None,
            due_at=occurred if self.type == "task" else None,
            contacts=[
                Contact(
                    id=f"contact-{n}",
                    name=person.name,
                    email=person.email,
                    job_title=person.job_title,
                    company=person.company,
                )
                for n, person in enumerate(self.contacts, 1)
            ],
            companies=[
                Company(id=f"company-{n}", name=org.name, domain=org.domain, industry=org.industry)
                for n, org in enumerate(self.companies, 1)
            ],
        )


def load_cases(path: Path) -> list[EvalCase]:
    """Every case in the file; a case that does not fit the format is an error naming it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of cases")
    cases = [EvalCase.model_validate(item) for item in raw]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ValueError(f"{path}: case id {case.id!r} is used twice")
        seen.add(case.id)
    return cases
