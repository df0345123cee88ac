"""The CRM object types the simulator knows: names, type ids, properties and enum values.

Property lists are a realistic subset of a HubSpot portal's. Writing a property outside them
is rejected (as HubSpot rejects unknown properties) unless the config turns strictness off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from devstack.hubspot_simulator.errors import validation_error

ACTIVITY_DEFAULTS = ("hs_createdate", "hs_lastmodifieddate", "hs_object_id")
DATETIME_PROPERTIES = frozenset(
    {
        "hs_timestamp",
        "hs_createdate",
        "hs_lastmodifieddate",
        "createdate",
        "lastmodifieddate",
        "hs_meeting_start_time",
        "hs_meeting_end_time",
        "hs_task_completion_date",
        "closedate",
    }
)
NOTE_BODY_MAX_CHARS = 65_536


@dataclass(frozen=True)
class ObjectType:
    """One CRM object type as the API names it in paths, type ids and webhooks."""

    name: str
    singular: str
    type_id: str
    is_activity: bool
    properties: frozenset[str]
    # Returned on every read, requested or not.
    always_returned: tuple[str, ...]
    # Returned when a read names no properties at all.
    default_read: tuple[str, ...]
    created_property: str
    modified_properties: tuple[str, ...]
    required: tuple[str, ...] = ()
    # Required on create from API version 2026-09 on, when HubSpot enforces write validation.
    required_from_2026_09: tuple[str, ...] = ()
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    # Properties HubSpot calculates from the others (read-only), set on every write.
    calculated: Callable[[dict[str, str]], dict[str, str]] | None = None


# The default sales pipeline's stages; its two closed ones decide hs_is_closed(_won).
DEAL_STAGES = (
    "appointmentscheduled qualifiedtobuy presentationscheduled decisionmakerboughtin "
    "contractsent closedwon closedlost"
)
CLOSED_STAGES = {"closedwon": True, "closedlost": False}


def _deal_flags(properties: dict[str, str]) -> dict[str, str]:
    """hs_is_closed and hs_is_closed_won, as HubSpot derives them from the deal's stage."""
    stage = properties.get("dealstage", "")
    closed, won = stage in CLOSED_STAGES, CLOSED_STAGES.get(stage, False)
    return {"hs_is_closed": str(closed).lower(), "hs_is_closed_won": str(won).lower()}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _activity(name: str, singular: str, type_id: str, props: str, **enums: str) -> ObjectType:
    return ObjectType(
        name=name,
        singular=singular,
        type_id=type_id,
        is_activity=True,
        properties=_words(props) | {"hs_timestamp", "hubspot_owner_id"},
        always_returned=ACTIVITY_DEFAULTS,
        default_read=ACTIVITY_DEFAULTS,
        created_property="hs_createdate",
        modified_properties=("hs_lastmodifieddate",),
        required=("hs_timestamp",),
        required_from_2026_09=("hs_task_subject",) if name == "tasks" else (),
        enums={prop: _words(values) for prop, values in enums.items()},
    )


OBJECT_TYPES: tuple[ObjectType, ...] = (
    _activity(
        "tasks",
        "task",
        "0-27",
        "hs_task_subject hs_task_body hs_task_status hs_task_priority hs_task_type "
        "hs_task_reminders hs_task_completion_date hs_queue_membership_ids "
        # the custom property the app's portal set-up adds (shared/apply/writes.py)
        "hubspot_ai_job_id",
        hs_task_status="NOT_STARTED IN_PROGRESS WAITING COMPLETED DEFERRED",
        hs_task_priority="LOW MEDIUM HIGH NONE",
        hs_task_type="EMAIL CALL TODO LINKED_IN_CONNECT LINKED_IN_MESSAGE",
    ),
    _activity("notes", "note", "0-46", "hs_note_body hs_attachment_ids"),
    _activity(
        "meetings",
        "meeting",
        "0-47",
        "hs_meeting_title hs_meeting_body hs_internal_meeting_notes hs_meeting_external_url "
        "hs_meeting_location hs_meeting_start_time hs_meeting_end_time hs_meeting_outcome "
        "hs_activity_type hs_attachment_ids",
        hs_meeting_outcome="SCHEDULED COMPLETED RESCHEDULED NO_SHOW CANCELED",
    ),
    _activity(
        "calls",
        "call",
        "0-48",
        "hs_call_body hs_call_title hs_call_direction hs_call_disposition hs_call_duration "
        "hs_call_from_number hs_call_to_number hs_call_recording_url hs_call_status "
        "hs_activity_type hs_attachment_ids",
        hs_call_direction="INBOUND OUTBOUND",
        hs_call_status="BUSY CALLING_CRM_USER CANCELED COMPLETED CONNECTING FAILED "
        "IN_PROGRESS NO_ANSWER QUEUED RINGING",
    ),
    _activity(
        "emails",
        "email",
        "0-49",
        "hs_email_subject hs_email_text hs_email_html hs_email_direction hs_email_status "
        "hs_email_headers hs_attachment_ids",
        hs_email_direction="EMAIL INCOMING_EMAIL FORWARDED_EMAIL",
        hs_email_status="BOUNCED FAILED SCHEDULED SENDING SENT",
    ),
    ObjectType(
        name="contacts",
        singular="contact",
        type_id="0-1",
        is_activity=False,
        properties=_words(
            "email firstname lastname phone mobilephone company jobtitle website city state "
            "country lifecyclestage hs_lead_status hubspot_owner_id"
        ),
        always_returned=("createdate", "lastmodifieddate", "hs_object_id"),
        default_read=(
            "createdate",
            "email",
            "firstname",
            "hs_object_id",
            "lastmodifieddate",
            "lastname",
        ),
        created_property="createdate",
        modified_properties=("lastmodifieddate",),
    ),
    ObjectType(
        name="companies",
        singular="company",
        type_id="0-2",
        is_activity=False,
        properties=_words(
            "name domain industry phone city state country numberofemployees annualrevenue "
            "description lifecyclestage hubspot_owner_id"
        ),
        always_returned=("createdate", "hs_lastmodifieddate", "hs_object_id"),
        default_read=("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
        created_property="createdate",
        modified_properties=("hs_lastmodifieddate",),
    ),
    ObjectType(
        name="deals",
        singular="deal",
        type_id="0-3",
        is_activity=False,
        properties=_words(
            "dealname dealstage amount closedate pipeline dealtype description "
            "deal_currency_code hs_is_closed hs_is_closed_won hubspot_owner_id"
        ),
        always_returned=("createdate", "hs_lastmodifieddate", "hs_object_id"),
        default_read=(
            "amount",
            "closedate",
            "createdate",
            "dealname",
            "dealstage",
            "hs_lastmodifieddate",
            "hs_object_id",
            "pipeline",
        ),
        created_property="createdate",
        modified_properties=("hs_lastmodifieddate",),
        required=("dealname", "dealstage"),
        enums={"dealstage": _words(DEAL_STAGES), "pipeline": _words("default")},
        calculated=_deal_flags,
    ),
)

_BY_ALIAS = {
    alias: object_type
    for object_type in OBJECT_TYPES
    for alias in (object_type.name, object_type.singular, object_type.type_id)
}
ACTIVITY_TYPES = tuple(t for t in OBJECT_TYPES if t.is_activity)
CONTACTS = _BY_ALIAS["contacts"]


def find_object_type(name: str) -> ObjectType | None:
    """The type a path segment names: plural ("notes"), singular ("note") or id ("0-46")."""
    return _BY_ALIAS.get(name.strip().lower())


def object_type_or_400(name: str) -> ObjectType:
    object_type = find_object_type(name)
    if object_type is None:
        raise validation_error(f"Unable to infer object type from: {name}")
    return object_type
