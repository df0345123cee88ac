"""The receiver a team would write instead, as the receiver benchmark's baseline.

HubSpot's documented Python verification (``Signature.is_valid`` from hubspot-api-client,
v3, which checks the 5-minute window itself) and one ``apply_async`` per event, as in Celery's
and Flask's own examples. It does less than ours (no v3 URI decoding, no validation, no
filtering of events the pipeline does not handle, no metrics) and is measured as it is.
"""

from __future__ import annotations

import os

from celery import Celery
from flask import Flask, abort, request
from hubspot.exceptions import InvalidSignatureTimestampError
from hubspot.utils.signature import Signature


def team_app() -> Flask:
    app = Flask("team_receiver")
    celery = Celery("team_receiver", broker=os.environ["REDIS_URL"])
    secret = os.environ["HUBSPOT_CLIENT_SECRET"]
    public_base = os.environ["WEBHOOK_PUBLIC_BASE_URL"].rstrip("/")

    @celery.task(name="team.process_event")
    def process_event(event: dict) -> None:  # runs in a worker; never here
        raise NotImplementedError

    @app.post("/webhooks/hubspot")
    def receive():
        try:
            valid = Signature.is_valid(
                signature=request.headers.get("X-HubSpot-Signature-v3", ""),
                client_secret=secret,
                request_body=request.get_data(as_text=True),
                http_uri=public_base + request.full_path.rstrip("?"),
                http_method=request.method,
                signature_version="v3",
                timestamp=request.headers.get("X-HubSpot-Request-Timestamp"),
            )
        except InvalidSignatureTimestampError:
            valid = False
        if not valid:
            abort(401)
        for event in request.get_json():
            process_event.apply_async(args=[event], queue="activities")
        return "", 204

    return app
