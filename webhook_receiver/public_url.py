"""The URL as HubSpot called it, which its v2/v3 signatures cover."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import Request

from shared.webhooks.signature import WebhookRequest


def public_url(req: Request, base_url: str | None) -> str:
    """Configured public base (or this request's scheme and host) + the raw path and query.

    The path is taken as the client sent it (RAW_URI / REQUEST_URI), not WSGI's decoded
    PATH_INFO: percent-escapes are part of what HubSpot signed.
    """
    environ = req.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    path = urlsplit(raw).path if raw else quote(environ.get("PATH_INFO", ""))
    query = environ.get("QUERY_STRING", "")
    root = base_url.rstrip("/") if base_url else f"{req.scheme}://{req.host}{req.script_root}"
    return f"{root}{path}" + (f"?{query}" if query else "")


def signed_request(req: Request, body: bytes, base_url: str | None) -> WebhookRequest:
    """What HubSpot signed: the method, the URL as it called it, the raw body, the headers."""
    return WebhookRequest(
        method=req.method, uri=public_url(req, base_url), body=body, headers=req.headers
    )
