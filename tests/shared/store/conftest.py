import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from shared.hubspot.models import Activity, Contact
from shared.store.base import RunResults
from shared.store.rows import RunRow


def make_activity(activity_id: str = "501", version_minute: int = 0, **overrides) -> Activity:
    fields = {
        "id": activity_id,
        "type": "call",
        "owner_id": "301",
        "occurred_at": datetime(2026, 3, 4, 15, tzinfo=UTC),
        "updated_at": datetime(2026, 3, 4, 15, version_minute, tzinfo=UTC),
        "subject": "Call with Dana Ortiz",
        "body": "Wants pricing for 50 seats before Friday's budget review",
        "contacts": [Contact(id="5", name="Dana Ortiz")],
    }
    return Activity(**{**fields, **overrides})


def make_result_row(activity_type: str | None, activity_id: str) -> RunRow:
    """An inbox row of a completed run of this activity."""
    return RunRow(
        id=uuid.uuid4(),
        activity_id=activity_id,
        activity_type=activity_type,
        status="completed",
        created_at=datetime(2026, 3, 4, 16, tzinfo=UTC),
        processed_at=datetime(2026, 3, 4, 16, 1, tzinfo=UTC),
        dismissed_at=None,
        best_draft="Hi Dana, pricing attached.",
        recommended_due=None,
        flag=None,
        flag_reason=None,
    )


def make_results(confidence: float = 0.8, with_opportunity: bool = True) -> RunResults:
    return RunResults(
        drafts=[
            {"tone": "friendly", "text": "Hi Dana, pricing attached.", "confidence": confidence},
            {"tone": "formal", "text": "Dear Dana, please find pricing.", "confidence": 0.7},
        ],
        recommendation={
            "recommended_start": "2026-03-05T09:00:00+00:00",
            "recommended_due": "2026-03-06T09:00:00+00:00",
            "confidence": 0.75,
            "rationale": "before Friday's budget review",
        },
        opportunity={"probability": 0.6, "status": "open"} if with_opportunity else None,
        scores={"model": "local/heuristic", "prompt_version": "suggestions-v1"},
    )


@pytest.fixture
def activity() -> Activity:
    return make_activity()


@pytest.fixture
def user(database_url) -> uuid.UUID:
    with psycopg.connect(database_url) as conn:
        query = "insert into auth.users (email) values ('rep@example.com') returning id"
        return conn.execute(query).fetchone()[0]
