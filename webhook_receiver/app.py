"""App factory: settings, logging, shared services, blueprints and JSON errors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import redis
from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.logging import bind_ids, clear_ids, configure_logging
from shared.queues import BROKER_TIMEOUTS, enqueue_ingest, make_producer
from shared.settings import Settings, get_settings
from shared.webhooks.intake import EventIntake
from shared.webhooks.signature import SignatureVerifier
from webhook_receiver.responses import json_error


@dataclass(frozen=True)
class Services:
    settings: Settings
    redis: redis.Redis
    verifier: SignatureVerifier
    intake: EventIntake


def services() -> Services:
    return current_app.extensions["hubspot_ai"]


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or get_settings()
    configure_logging(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.webhook_max_body_bytes
    hops = settings.webhook_trusted_proxies
    if hops:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.extensions["hubspot_ai"] = _build_services(settings)
    _register(app)
    return app


def _build_services(settings: Settings) -> Services:
    client = redis.Redis.from_url(
        settings.redis_url,
        socket_timeout=BROKER_TIMEOUTS["socket_timeout"],
        socket_connect_timeout=BROKER_TIMEOUTS["socket_connect_timeout"],
    )
    producer = make_producer(settings)
    verifier = SignatureVerifier(
        settings.webhook_secrets(), min_version=settings.webhook_min_signature_version
    )
    intake = EventIntake(client, lambda events: enqueue_ingest(producer, events))
    return Services(settings, client, verifier, intake)


def _register(app: Flask) -> None:
    from webhook_receiver.views.health import health
    from webhook_receiver.views.webhooks import webhooks

    app.register_blueprint(health)
    app.register_blueprint(webhooks)

    @app.before_request
    def bind_request_id() -> None:
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        bind_ids(request_id=g.request_id)

    @app.teardown_request
    def unbind(_exc: BaseException | None) -> None:
        clear_ids()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        name = (exc.name or "error").lower().replace(" ", "_")
        return json_error(exc.code or 500, name, exc.description or name)
