"""Liveness (the process answers) and readiness (the broker answers)."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, jsonify

from shared.metrics import render
from webhook_receiver.app import services
from webhook_receiver.responses import json_error

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@health.get("/readyz")
def readyz():
    try:
        services().redis.ping()
    except redis.RedisError:
        return json_error(503, "broker_unavailable", "the broker (Redis) is not reachable")
    return jsonify({"status": "ready"})


@health.get("/metrics")
def metrics():
    services().metrics.flush()  # this process's latest counts, not a second old
    try:
        text = render(services().redis)
    except redis.RedisError:
        return json_error(503, "broker_unavailable", "metrics live in Redis, which is down")
    return Response(text, mimetype="text/plain; version=0.0.4")
