"""Liveness (the process answers) and readiness (the broker answers), and the metrics.

Readiness also says whether HubSpot's daily API limit is used up, and which HubSpot accounts
the app can no longer act for (disconnected or uninstalled): the web process still takes
deliveries then (they wait, or are counted and dropped for a lost account), so it stays ready.
"""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify

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
    # Imported here: the webhook path starts without the HubSpot client's modules.
    from shared.exposition import CONTENT_TYPE, render

    services().metrics.flush()  # this process's latest counts, not a second old
    try:
        text = render(services().redis)
    except redis.RedisError:
        return json_error(503, "broker_unavailable", "metrics live in Redis, which is down")
    return Response(text, content_type=CONTENT_TYPE)


def _hubspot_status(client: redis.Redis) -> dict[str, object]:
    # Imported here: the webhook path starts without the HubSpot client's modules.
    from shared.accounts.states import lost_accounts
    from shared.hubspot.daily_cap import DailyCap
    from shared.pipeline.parking import parked_count

    cap = DailyCap(client)
    until = cap.until()
    lost = lost_accounts(client)
    return {
        "daily_limit_reached": until is not None,
        "calls_resume_at": until.isoformat() if until else None,
        "daily_calls_remaining": cap.remaining(),
        "parked_work": parked_count(client),
        "accounts_disconnected": sorted(k for k, v in lost.items() if v == "disconnected"),
        "accounts_uninstalled": sorted(k for k, v in lost.items() if v == "uninstalled"),
    }
