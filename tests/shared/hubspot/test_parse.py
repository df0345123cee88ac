import json
from datetime import UTC, datetime

from shared.hubspot.models import KIND_BY_NAME, KIND_BY_TYPE_ID, KINDS, Contact, Deal
from shared.hubspot.parse import parse_activity, parse_deal, parse_timestamp


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


DANA = Contact(id="1", name="Dana Ortiz", email="dana@acme.example")
GREG = Contact(id="2", name="Greg Hall", email="Greg@Acme.example")


def email(direction: str, headers: dict) -> dict:
    props = {
        "hs_timestamp": "2026-03-03T15:00:00Z",
        "hs_email_subject": "Pricing",
        "hs_email_text": "Can you send the quote?",
        "hs_email_direction": direction,
        "hs_email_headers": json.dumps(headers),
    }
    return {"id": "9", "properties": props}


def test_an_inbound_email_is_addressed_back_to_its_sender():
    headers = {"from": {"email": "greg@acme.example"}, "to": [{"email": "rep@us.example"}]}
    activity = parse_activity(
        KIND_BY_NAME["email"], email("INCOMING_EMAIL", headers), [DANA, GREG], []
    )

    assert activity.addressee_id == "2"
    assert activity.addressee == GREG


def test_an_outbound_email_is_addressed_to_its_first_recipient_among_the_contacts():
    headers = {
        "from": {"email": "rep@us.example"},
        "to": [{"email": "x@y.example"}, {"email": "greg@acme.example"}],
    }
    activity = parse_activity(KIND_BY_NAME["email"], email("EMAIL", headers), [DANA, GREG], [])

    assert activity.addressee_id == "2"


def test_without_a_known_correspondent_no_addressee_is_claimed_and_the_first_is_greeted():
    obj = email("INCOMING_EMAIL", {"from": {"email": "someone@else.example"}})
    obj["properties"]["hs_email_headers"] = "not json"
    activity = parse_activity(KIND_BY_NAME["email"], obj, [DANA, GREG], [])

    assert activity.addressee_id is None  # the prompt says nothing it does not know
    assert activity.addressee == DANA  # whose history is read, whom a draft greets by default
    assert parse_activity(KIND_BY_NAME["email"], obj, [], []).addressee is None


def test_a_deal_is_closed_as_hubspot_says_or_by_its_stage():
    def deal(**props: str) -> Deal:
        return parse_deal({"id": "5", "properties": {"dealname": "Renewal", **props}})

    assert deal(hs_is_closed="false", dealstage="closedwon").closed is False
    assert deal(hs_is_closed="true", dealstage="123456").closed is True
    assert deal(dealstage="closedlost").closed is True
    opened = deal(dealstage="contractsent", amount="1200.50", closedate="2026-04-30T00:00:00Z")
    assert (opened.closed, opened.amount, opened.close_date.day) == (False, "1200.50", 30)
