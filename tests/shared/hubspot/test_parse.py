from datetime import UTC, datetime

from shared.hubspot.models import KIND_BY_NAME, KIND_BY_TYPE_ID, KINDS, Contact
from shared.hubspot.parse import parse_activity, parse_timestamp


def test_each_kind_is_reachable_by_webhook_type_id():
    assert {kind.type_id for kind in KINDS} == {"0-27", "0-46", "0-47", "0-48", "0-49"}
    assert KIND_BY_TYPE_ID["0-27"].object_type == "tasks"


def test_timestamps_in_iso_and_epoch_millis():
    expected = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    assert parse_timestamp("2026-03-03T15:00:00.000Z") == expected
    assert parse_timestamp(str(int(expected.timestamp() * 1000))) == expected
    assert parse_timestamp(None) is None


def test_a_task_reads_its_due_date_status_and_priority():
    obj = {
        "id": "17",
        "properties": {
            "hs_timestamp": "2026-03-06T17:00:00Z",
            "hs_lastmodifieddate": "2026-03-02T09:30:00.123Z",
            "hs_task_subject": "Send pricing",
            "hs_task_body": "<p>50 seats, <b>annual</b></p>",
            "hs_task_status": "NOT_STARTED",
            "hs_task_priority": "HIGH",
            "hubspot_owner_id": "301",
        },
    }
    dana = Contact(id="5", name="Dana Ortiz")

    activity = parse_activity(KIND_BY_NAME["task"], obj, [dana], [])

    assert activity.type == "task"
    assert activity.body == "50 seats, annual"
    assert activity.due_at == datetime(2026, 3, 6, 17, tzinfo=UTC)
    assert (activity.task_status, activity.task_priority, activity.owner_id) == (
        "NOT_STARTED",
        "HIGH",
        "301",
    )
    assert activity.contacts == [dana]
    assert activity.version == "2026-03-02T09:30:00.123000+00:00"


def test_a_meeting_joins_its_body_and_internal_notes_under_their_heading():
    obj = {
        "id": "9",
        "properties": {
            "hs_meeting_title": "Kickoff",
            "hs_meeting_body": "Agenda: rollout",
            "hs_internal_meeting_notes": "<p>Next step: send SOW next week</p>",
        },
    }

    activity = parse_activity(KIND_BY_NAME["meeting"], obj, [], [])

    assert activity.subject == "Kickoff"
    assert activity.body == "Agenda: rollout\n\nInternal notes:\nNext step: send SOW next week"
    assert activity.due_at is None


def test_an_email_without_text_falls_back_to_its_html():
    obj = {"id": "3", "properties": {"hs_email_html": "<div>Thanks, Dana</div>"}}

    assert parse_activity(KIND_BY_NAME["email"], obj, [], []).body == "Thanks, Dana"
