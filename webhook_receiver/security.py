"""Headers that keep a browser from running or framing anything the app did not ship.

The review page shows text from customers' emails and from a model; escaping is the first
defence, and this policy the second: no inline script, no script from anywhere else.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response

from shared.settings import Settings


def content_security_policy(settings: Settings) -> str:
    connect = ["'self'"]
    if settings.supabase_url:
        parts = urlsplit(settings.supabase_url)
        connect.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "connect-src": " ".join(connect),
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(policy: str) -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    ]


def add_security_headers(response: Response, headers: list[tuple[str, str]]) -> Response:
    # One extend rather than a lookup and an add per header: this runs for every webhook.
    # No view sets these itself.
    response.headers.extend(headers)
    return response
