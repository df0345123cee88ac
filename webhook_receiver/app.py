"""App factory: settings, logging, shared services, blueprints and JSON errors."""

from __future__ import annotations

import atexit
import uuid
from datetime import date, datetime

import redis
from flask import Flask, Response, g, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.logging import bind_ids, clear_ids, configure_logging
from shared.metrics import BufferedMetrics
from shared.queues import BROKER_TIMEOUTS, enqueue_ingest, make_producer
from shared.settings import Settings, get_settings
from shared.webhooks.intake import EventIntake
from shared.webhooks.signature import SignatureVerifier
from webhook_receiver.responses import ApiError, json_error
from webhook_receiver.security import (
    add_security_headers,
    content_security_policy,
    security_headers,
)
from webhook_receiver.services import EXTENSION, Services


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or get_settings()
    configure_logging(settings)
    app = Flask(__name__)
    app.json = IsoJSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.webhook_max_body_bytes
    hops = settings.webhook_trusted_proxies
    if hops:
        # Flask's documented way to add WSGI middleware, which mypy sees as replacing a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.extensions[EXTENSION] = app_services = _build_services(settings)
    atexit.register(app_services.close)
    _register(app, settings)
    return app


class IsoJSONProvider(DefaultJSONProvider):
    """Times as ISO-8601 (Flask's default is the HTTP date format), ids as strings."""

    @staticmethod
    def default(o: object) -> object:
        if isinstance(o, datetime | date):
            return o.isoformat()
        if isinstance(o, uuid.UUID):
            return str(o)
        return DefaultJSONProvider.default(o)


def _build_services(settings: Settings) -> Services:
    client = redis.Redis.from_url(
        settings.redis_url or "",
        socket_timeout=BROKER_TIMEOUTS["socket_timeout"],
        socket_connect_timeout=BROKER_TIMEOUTS["socket_connect_timeout"],
    )
    producer = make_producer(settings)
    verifier = SignatureVerifier(
        settings.webhook_secrets(), min_version=settings.webhook_min_signature_version
    )
    intake = EventIntake(lambda events: enqueue_ingest(producer, events))
    return Services(settings, client, verifier, intake, producer, BufferedMetrics(client))


def _register(app: Flask, settings: Settings) -> None:
    from webhook_receiver.views.api import api
    from webhook_receiver.views.crm import crm
    from webhook_receiver.views.health import health
    from webhook_receiver.views.insights import insights
    from webhook_receiver.views.oauth import oauth
    from webhook_receiver.views.openapi import openapi
    from webhook_receiver.views.records import records
    from webhook_receiver.views.review import review
    from webhook_receiver.views.webhooks import webhooks

    for blueprint in (health, webhooks, oauth, api, records, insights, crm, openapi, review):
        app.register_blueprint(blueprint)

    headers = security_headers(content_security_policy(settings))

    @app.after_request
    def add_headers(response: Response) -> Response:
        return add_security_headers(response, headers)

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return exc.response()

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
