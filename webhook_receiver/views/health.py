"""Liveness (the process answers) and readiness (the broker answers), and the metrics.

Readiness also says whether HubSpot's daily API limit is used up: the web process still
takes deliveries then (they wait for the reset), so it stays ready.
"""

from __future__ import annotations

from datetime import datetime

import redis
from flask import Blueprint, Response, jsonify

from shared.metrics import render
from webhook_receiver.responses import json_error
from webhook_receiver.services import services

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@health.get("/readyz")
def readyz():
    try:
        services().redis.ping()
        hubspot = _hubspot_status(services().redis)
    except redis.RedisError:
        return json_error(503, "broker_unavailable", "the broker (Redis) is not reachable")
    return jsonify({"status": "ready", "hubspot": hubspot})


@health.get("/metrics")
def metrics():
    services().metrics.flush()  # this process's latest counts, not a second old
    try:
        text = render(services().redis, _hubspot_gauges(services().redis))
    except redis.RedisError:
        return json_error(503, "broker_unavailable", "metrics live in Redis, which is down")
    return Response(text, mimetype="text/plain; version=0.0.4")


def _hubspot_status(client: redis.Redis) -> dict[str, object]:
    until, remaining, parked = _hubspot_day(client)
    return {
        "daily_limit_reached": until is not None,
        "calls_resume_at": until.isoformat() if until else None,
        "daily_calls_remaining": remaining,
        "parked_work": parked,
    }


def _hubspot_gauges(client: redis.Redis) -> dict[str, tuple[str, float]]:
    until, remaining, parked = _hubspot_day(client)
    gauges = {
        "hubspot_daily_limit_reached": (
            "1 while HubSpot's daily API limit is used up and no calls are made",
            float(until is not None),
        ),
        "hubspot_parked_work": ("tasks waiting for HubSpot's daily limit to reset", parked),
    }
    if remaining is not None:
        gauges["hubspot_daily_calls_remaining"] = (
            "HubSpot's X-HubSpot-RateLimit-Daily-Remaining, as last seen",
            remaining,
        )
    return gauges


def _hubspot_day(client: redis.Redis) -> tuple[datetime | None, int | None, int]:
    """When calls resume (None: they are not stopped), calls left today, work parked."""
    # Imported here: the webhook path starts without the HubSpot client's modules.
    from shared.hubspot.daily_cap import DailyCap
    from shared.pipeline.parking import parked_count

    cap = DailyCap(client)
    return cap.until(), cap.remaining(), parked_count(client)
