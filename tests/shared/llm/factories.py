"""Activities for the LLM tests, all anchored at one fixed moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.hubspot.models import Activity, Company, Contact, Deal, PastActivity
from shared.llm.touch import plan_touch

# A Wednesday afternoon: business days on both sides of the coming weekend.
WEDNESDAY = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 4, 15, 5, tzinfo=UTC)  # the run starts just after the call
DANA = Contact(id="c-1", name="Dana Ortiz", job_title="VP Finance", company="Acme")
ACME = Company(id="co-1", name="Acme Corp", domain="acme.example")
PRICING_CALL = "Call with Dana Ortiz: wants pricing for 50 seats before Friday's budget review."


def make_activity(body: str = PRICING_CALL, **fields: Any) -> Activity:
    """A call with Dana at Acme on WEDNESDAY, unless ``fields`` say otherwise."""
    defaults: dict[str, Any] = {
        "id": "a-1",
        "type": "call",
        "occurred_at": WEDNESDAY,
        "created_at": WEDNESDAY,
        "subject": "Call with Dana Ortiz",
        "contacts": [DANA],
        "companies": [ACME],
    }
    return Activity(**{**defaults, **fields, "body": body})


GREG = Contact(id="c-2", name="Greg Hall", email="greg@acme.example", company="Acme")
ROLLOUT = Deal(
    id="d-1",
    name="Acme rollout",
    stage="contractsent",
    amount="84000",
    close_date=datetime(2026, 3, 31, tzinfo=UTC),
)


def long_history(count: int = 5, chars: int = 300) -> list[PastActivity]:
    """Earlier activities with subjects and bodies as long as a history keeps them."""
    return [
        PastActivity(
            id=f"h-{n}",
            type="email",
            occurred_at=WEDNESDAY - timedelta(days=n + 1),
            direction="INCOMING_EMAIL",
            subject=f"Re: rollout question {n} " + "s" * chars,
            body=f"Earlier message {n}: " + "word " * (chars // 5),
        )
        for n in range(count)
    ]


# Moments texts are logged at, each on its account's calendar (zone and country).
ACCOUNTS = {
    # Tuesday, six days before Labor Day (Mon 2026-09-07).
    "us-sep": (datetime(2026, 9, 1, 15, tzinfo=UTC), "America/New_York", "US"),
    # Tuesday, nine days before Thanksgiving (Thu 2026-11-26).
    "us-nov": (datetime(2026, 11, 17, 15, tzinfo=UTC), "America/New_York", "US"),
    # Tuesday, a week before the Immaculate Conception (Tue 2026-12-08).
    "es-dec": (datetime(2026, 12, 1, 10, tzinfo=UTC), "Europe/Madrid", "ES"),
    # Monday, two days before Reyes (Wed 2027-01-06).
    "es-jan": (datetime(2027, 1, 4, 10, tzinfo=UTC), "Europe/Madrid", "ES"),
    # Tuesday, ten days before Christmas (Fri 2026-12-25, Sat 2026-12-26).
    "de-dec": (datetime(2026, 12, 15, 10, tzinfo=UTC), "Europe/Berlin", "DE"),
    "fr-nov": (datetime(2026, 11, 17, 10, tzinfo=UTC), "Europe/Paris", "FR"),
}


def due_date(text: str, account: str, **fields: object) -> date:
    """The recommended due day of ``text`` logged on ``account``, on its calendar."""
    written, zone_name, country = ACCOUNTS[account]
    zone = ZoneInfo(zone_name)
    activity = make_activity(text, occurred_at=written, created_at=written, **fields)
    touch, _ = plan_touch(activity, written, zone, country)
    return touch.recommended_due.astimezone(zone).date()
