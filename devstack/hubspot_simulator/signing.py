"""Webhook request signatures, computed the way HubSpot documents them.

Deliberately independent of `hubspot.utils.signature`: the receiver validates with that
class, and two separate implementations agreeing is what catches a bug in either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

# HubSpot decodes these escapes in the URL before hashing it for v3.
_V3_DECODED_ESCAPES = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def v3_uri(url: str) -> str:
    """The URL as it enters the v3 hash: listed escapes decoded, in either letter case."""
    for escape, char in _V3_DECODED_ESCAPES.items():
        url = url.replace(escape, char).replace(escape.lower(), char)
    return url


def sign_v3(secret: str, method: str, url: str, body: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(secret, method + uri + body + timestamp))."""
    message = f"{method}{v3_uri(url)}{body}{timestamp_ms}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_v1(secret: str, body: str) -> str:
    """hex(SHA-256(secret + body))."""
    return hashlib.sha256(f"{secret}{body}".encode()).hexdigest()


def signature_headers(
    secret: str, url: str, body: str, timestamp_ms: int, include_v1: bool = True
) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-v3": sign_v3(secret, "POST", url, body, timestamp_ms),
        "X-HubSpot-Request-Timestamp": str(timestamp_ms),
    }
    if include_v1:
        headers["X-HubSpot-Signature"] = sign_v1(secret, body)
        headers["X-HubSpot-Signature-Version"] = "v1"
    return headers
