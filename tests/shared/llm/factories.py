"""Activities for the LLM tests, all anchored at one fixed moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.hubspot.models import Activity, Company, Contact

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
