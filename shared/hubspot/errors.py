"""What can go wrong talking to HubSpot, and which of it is worth another try."""

from __future__ import annotations

import json
from typing import Any

import urllib3


class HubSpotError(RuntimeError):
    """A HubSpot call failed for good; ``status`` is the HTTP status (None: no response)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        category: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.correlation_id = correlation_id


class ObjectNotFound(HubSpotError):
    """The object does not exist (or no longer does): not worth retrying."""


def api_status(exc: BaseException) -> int | None:
    """HTTP status of an ``ApiException`` from any hubspot-api-client package.

    Each generated package has its own ApiException class with no common base, so they
    are recognised by shape.
    """
    status = getattr(exc, "status", None)
    return (
        status if type(exc).__module__.startswith("hubspot.") and isinstance(status, int) else None
    )


def error_body(exc: BaseException) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    try:
        parsed = json.loads(body) if body else {}
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def is_transient(exc: BaseException) -> bool:
    """429 (except the daily cap, which lasts until midnight), 5xx, and network failures."""
    if isinstance(exc, urllib3.exceptions.HTTPError):
        return True
    status = api_status(exc)
    if status == 429:
        return error_body(exc).get("policyName") != "DAILY"
    return status is not None and status >= 500


def server_wait_hint(exc: BaseException) -> float:
    """Seconds HubSpot asked us to wait before the next call (0 when it did not say)."""
    headers = {k.lower(): v for k, v in dict(getattr(exc, "headers", None) or {}).items()}
    if "retry-after" in headers:
        try:
            return max(0.0, float(headers["retry-after"]))
        except ValueError:
            return 0.0
    if api_status(exc) == 429 and headers.get("x-hubspot-ratelimit-remaining") == "0":
        # The rolling window frees slots as old calls age out; give it a tenth of a window.
        interval_ms = float(headers.get("x-hubspot-ratelimit-interval-milliseconds", 10_000))
        return interval_ms / 10_000
    return 0.0


def translate(exc: BaseException, operation: str) -> HubSpotError:
    """Our error for a failed call, without the request headers (they carry the token)."""
    status = api_status(exc)
    if status is None:
        return HubSpotError(f"{operation}: HubSpot unreachable ({type(exc).__name__})")
    body = error_body(exc)
    error_class = ObjectNotFound if status == 404 else HubSpotError
    return error_class(
        f"{operation}: HubSpot answered {status}: {body.get('message', '')}".rstrip(": "),
        status=status,
        category=body.get("category") or body.get("errorType"),
        correlation_id=body.get("correlationId"),
    )
