"""POST /webhooks/hubspot: verify on the raw body, parse, enqueue once, answer fast."""

from __future__ import annotations

import time

import kombu.exceptions
import redis
from flask import Blueprint, jsonify, request

from shared.logging import correlation_id, get_logger
from shared.webhooks.events import BadPayload, parse_events
from shared.webhooks.signature import InvalidSignature
from webhook_receiver.public_url import signed_request
from webhook_receiver.responses import json_error
from webhook_receiver.services import services

webhooks = Blueprint("webhooks", __name__)
log = get_logger(__name__)

BROKER_ERRORS = (redis.RedisError, kombu.exceptions.OperationalError, OSError)


@webhooks.post("/webhooks/hubspot")
def receive_hubspot_events():
    app_services = services()
    if request.mimetype != "application/json":
        return _rejected(
            "content_type", 415, "unsupported_media_type", "send the events as application/json"
        )
    body = request.get_data(cache=False)
    try:
        base_url = app_services.settings.webhook_public_base_url
        version = app_services.verifier.verify(signed_request(request, body, base_url))
    except InvalidSignature as exc:
        return _rejected("signature", 401, "invalid_signature", str(exc))
    try:
        events = parse_events(body)
    except BadPayload as exc:
        return _rejected("payload", 400, "invalid_payload", str(exc), problems=exc.problems)
    started = time.perf_counter()
    try:
        result = app_services.intake.accept(events)
    except BROKER_ERRORS as exc:
        log.warning("webhook_not_enqueued", error=type(exc).__name__, events=len(events))
        return _rejected("broker", 503, "broker_unavailable", "events were not queued; retry later")
    app_services.metrics.record(
        counts={
            "webhook_events_received_total": len(events),
            "webhook_events_accepted_total": result.accepted,
            "webhook_events_duplicate_total": result.duplicates,
            "webhook_events_ignored_total": result.ignored,
        },
        timings={"webhook_enqueue_seconds": time.perf_counter() - started},
    )
    log.info(
        "webhook_accepted",
        signed_with=f"v{version}",
        task_id=result.task_id,
        accepted=result.accepted,
        duplicates=result.duplicates,
        ignored=result.ignored,
        correlation_ids=[correlation_id(e.objectId or "") for e in events if e.is_activity_event],
    )
    return jsonify(
        {"accepted": result.accepted, "duplicates": result.duplicates, "ignored": result.ignored}
    )


def _rejected(reason: str, status: int, error: str, message: str, **details: object):
    log.info("webhook_rejected", reason=reason, detail=message)
    services().metrics.count("webhook_requests_rejected_total", reason=reason)
    return json_error(status, error, message, **details)
