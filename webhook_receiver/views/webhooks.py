"""POST /webhooks/hubspot: verify on the raw body, parse, dedup, enqueue once, answer fast."""

from __future__ import annotations

import logging

import kombu.exceptions
import redis
from flask import Blueprint, Request, jsonify, request

from shared.logging import get_logger
from shared.webhooks.events import BadPayload, parse_events
from shared.webhooks.signature import InvalidSignature, WebhookRequest
from webhook_receiver.app import services
from webhook_receiver.public_url import public_url
from webhook_receiver.responses import json_error

webhooks = Blueprint("webhooks", __name__)
log = get_logger(__name__)

BROKER_ERRORS = (redis.RedisError, kombu.exceptions.OperationalError, OSError)


@webhooks.post("/webhooks/hubspot")
def receive_hubspot_events():
    app_services = services()
    if request.mimetype != "application/json":
        return json_error(415, "unsupported_media_type", "send the events as application/json")
    body = request.get_data(cache=False)
    try:
        version = app_services.verifier.verify(_signed(request, body))
    except InvalidSignature as exc:
        log.info("webhook_rejected", reason="signature", detail=str(exc))
        return json_error(401, "invalid_signature", str(exc))
    try:
        events = parse_events(body)
    except BadPayload as exc:
        log.info("webhook_rejected", reason="payload", detail=str(exc))
        return json_error(400, "invalid_payload", str(exc), problems=exc.problems)
    try:
        result = app_services.intake.accept(events)
    except BROKER_ERRORS as exc:
        log.warning("webhook_not_enqueued", error=type(exc).__name__, events=len(events))
        return json_error(503, "broker_unavailable", "events were not queued; retry later")
    # structlog runs its processors before the level check: skip them when INFO is off.
    if log.is_enabled_for(logging.INFO):
        log.info(
            "webhook_accepted",
            signed_with=f"v{version}",
            task_id=result.task_id,
            accepted=result.accepted,
            duplicates=result.duplicates,
            ignored=result.ignored,
        )
    return jsonify(
        {"accepted": result.accepted, "duplicates": result.duplicates, "ignored": result.ignored}
    )


def _signed(req: Request, body: bytes) -> WebhookRequest:
    base_url = services().settings.webhook_public_base_url
    return WebhookRequest(
        method=req.method, uri=public_url(req, base_url), body=body, headers=req.headers
    )
