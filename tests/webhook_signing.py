"""HubSpot's signature algorithms, written out independently of the code under test."""

import base64
import hashlib
import hmac
import json
import time

V3_DECODED = ["%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B"]


def v1(secret: str, body: bytes) -> str:
    return hashlib.sha256(secret.encode() + body).hexdigest()


def v2(secret: str, method: str, uri: str, body: bytes) -> str:
    return hashlib.sha256(secret.encode() + method.encode() + uri.encode() + body).hexdigest()


def v3(secret: str, method: str, uri: str, body: bytes, timestamp_ms: int) -> str:
    for escape in V3_DECODED:
        uri = uri.replace(escape, bytes.fromhex(escape[1:]).decode())
    message = method.encode() + uri.encode() + body + str(timestamp_ms).encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def v3_headers(
    secret: str, uri: str, body: bytes, timestamp_ms: int | None = None, method: str = "POST"
) -> dict[str, str]:
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-v3": v3(secret, method, uri, body, timestamp_ms),
        "X-HubSpot-Request-Timestamp": str(timestamp_ms),
    }


def activity_event(
    object_id: int = 101,
    event_id: int = 1,
    type_id: str = "0-46",
    subscription: str = "object.creation",
    **extra,
) -> dict:
    return {
        "eventId": event_id,
        "subscriptionId": 7001,
        "portalId": 62515,
        "appId": 4321,
        "occurredAt": 1_795_000_000_000 + event_id,
        "subscriptionType": subscription,
        "attemptNumber": 0,
        "objectId": object_id,
        "objectTypeId": type_id,
        "changeSource": "CRM_UI",
        **extra,
    }


def body_of(events: list[dict]) -> bytes:
    return json.dumps(events).encode()


def privacy_deletion_event(contact_id: int, event_id: int = 900) -> dict:
    """HubSpot's contact.privacyDeletion hub event: no object type, the contact's id."""
    return {
        "eventId": event_id,
        "subscriptionId": 7100,
        "portalId": 62515,
        "appId": 4321,
        "occurredAt": 1_795_000_000_000 + event_id,
        "subscriptionType": "contact.privacyDeletion",
        "attemptNumber": 0,
        "objectId": contact_id,
        "changeSource": "GDPR_DELETE",
    }
