"""HubSpot webhook signatures (v3, v2, v1), checked on the raw body.

The hashing is ``hubspot-api-client``'s ``Signature.get_signature``; this module adds what
its ``is_valid`` lacks: the v3 URI decoding rule, a timestamp window in both directions
(on one injectable clock), case-insensitive version names, a minimum accepted version,
several secrets at once (rotation), and a clear refusal instead of exceptions for anything
malformed.
"""

from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from hubspot.utils.signature import Signature

MAX_SKEW_MS = 5 * 60 * 1000
# Milliseconds since 1970 have 13 digits until the year 2286; a longer header is not a time
# (and one of thousands of digits would be a costly, or refused, int()).
MAX_TIMESTAMP_DIGITS = 16
# The escapes HubSpot decodes in the URI before hashing a v3 signature.
_V3_DECODED = {
    code: chr(int(code[1:], 16))
    for code in ("%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B")
}
_V3_ESCAPE = re.compile("|".join(_V3_DECODED), re.IGNORECASE)


class InvalidSignature(Exception):
    """The request is not provably from HubSpot; the message says why, never the secret."""


class Headers(Protocol):
    """What is read of the request's headers: a lookup by name (werkzeug's ignores case)."""

    def get(self, key: str) -> str | None: ...


@dataclass(frozen=True)
class WebhookRequest:
    method: str
    uri: str  # the full URL HubSpot called: scheme, host, path and query as sent
    body: bytes
    headers: Headers


def decode_v3_uri(uri: str) -> str:
    return _V3_ESCAPE.sub(lambda match: _V3_DECODED[match.group(0).upper()], uri)


class SignatureVerifier:
    """Accepts a request signed with any of ``secrets`` at ``min_version`` or newer."""

    def __init__(
        self,
        secrets: Sequence[str],
        min_version: int = 3,
        clock_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        if not secrets:
            raise ValueError("at least one client secret is needed to verify webhooks")
        self.secrets = list(secrets)
        self.min_version = min_version
        self.clock_ms = clock_ms

    def verify(self, request: WebhookRequest) -> int:
        """The signature version that matched; raises InvalidSignature otherwise."""
        if request.headers.get("X-HubSpot-Signature-v3"):
            return self._verify_v3(request)
        version_name = (request.headers.get("X-HubSpot-Signature-Version") or "").strip().lower()
        if version_name not in ("v1", "v2"):
            raise InvalidSignature("missing or unknown signature version")
        version = int(version_name[1])
        if version < self.min_version:
            raise InvalidSignature(
                f"signature version {version_name} is not accepted: sign with v3 "
                f"(this receiver's minimum is v{self.min_version})"
            )
        signature = request.headers.get("X-HubSpot-Signature") or ""
        uri = request.uri if version == 2 else None
        self._match(signature, request, version_name, uri, None)
        return version

    def _verify_v3(self, request: WebhookRequest) -> int:
        timestamp = (request.headers.get("X-HubSpot-Request-Timestamp") or "").strip()
        well_formed = timestamp.isascii() and timestamp.isdigit()  # isdigit() alone takes '²'
        if not well_formed or len(timestamp) > MAX_TIMESTAMP_DIGITS:
            raise InvalidSignature("missing or malformed X-HubSpot-Request-Timestamp")
        if abs(self.clock_ms() - int(timestamp)) > MAX_SKEW_MS:
            raise InvalidSignature("request timestamp is outside the 5-minute window")
        signature = request.headers.get("X-HubSpot-Signature-v3") or ""
        self._match(signature, request, "v3", decode_v3_uri(request.uri), timestamp)
        return 3

    def _match(
        self,
        signature: str,
        request: WebhookRequest,
        version: str,
        uri: str | None,
        timestamp: str | None,
    ) -> None:
        try:
            body = request.body.decode("utf-8")
            signature.encode("ascii")  # compare_digest refuses non-ASCII str
        except UnicodeError:
            raise InvalidSignature("signature does not match") from None
        for secret in self.secrets:
            expected = Signature.get_signature(
                secret, body, version, uri, request.method.upper(), timestamp
            )
            if hmac.compare_digest(expected, signature):
                return
        raise InvalidSignature("signature does not match")
