"""What can go wrong talking to HubSpot, and which of it is worth another try."""

from __future__ import annotations

from typing import Any

import hubspot_sdk


class HubSpotError(RuntimeError):
    """A HubSpot call failed for good; ``status`` is the HTTP status (None: no response)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        category: str | None = None,
        correlation_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.correlation_id = correlation_id
        # HubSpot's per-field details of a VALIDATION_ERROR (message, code, context).
        self.errors = errors or []


class AccountUnavailable(Exception):
    """The app cannot act for this account now: never installed, disconnected or uninstalled."""

    def __init__(self, portal_id: int, status: str, reason: str | None = None) -> None:
        words = f"HubSpot account {portal_id} is {status}" + (f": {reason}" if reason else "")
        super().__init__(words)
        self.portal_id = portal_id
        self.status = status


class ObjectNotFound(HubSpotError):
    """The object does not exist (or no longer does): not worth retrying."""


class VersionNotServed(HubSpotError):
    """HubSpot serves no such path: the configured API version (or the path) is wrong."""


def api_status(exc: BaseException) -> int | None:
    """HTTP status of a HubSpot answer that was an error; None when there was no answer."""
    return exc.status_code if isinstance(exc, hubspot_sdk.APIStatusError) else None


def error_body(exc: BaseException) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    return body if isinstance(body, dict) else {}


def is_daily_refusal(exc: BaseException) -> bool:
    """HubSpot refused the call because the day's calls are used up (until midnight)."""
    return api_status(exc) == 429 and error_body(exc).get("policyName") == "DAILY"


def is_transient(exc: BaseException) -> bool:
    """429 (except the daily cap, which lasts until midnight), 5xx, and network failures."""
    if isinstance(exc, hubspot_sdk.APIConnectionError):  # timeouts included
        return True
    status = api_status(exc)
    if status == 429:
        return not is_daily_refusal(exc)
    return status is not None and status >= 500


def server_wait_hint(exc: BaseException) -> float:
    """Seconds HubSpot asked us to wait before the next call (0 when it did not say)."""
    if not isinstance(exc, hubspot_sdk.APIStatusError):
        return 0.0
    headers = exc.response.headers
    if "retry-after" in headers:
        try:
            return max(0.0, float(headers["retry-after"]))
        except ValueError:
            return 0.0
    if exc.status_code == 429 and headers.get("x-hubspot-ratelimit-remaining") == "0":
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
    category = body.get("category") or body.get("errorType")
    message = f"{operation}: HubSpot answered {status}: {body.get('message', '')}".rstrip(": ")
    return _error_class(status, category)(
        message,
        status=status,
        category=category,
        correlation_id=body.get("correlationId"),
        errors=[e for e in body.get("errors") or [] if isinstance(e, dict)],
    )


def _error_class(status: int, category: str | None) -> type[HubSpotError]:
    """A 404 means a missing object only when HubSpot says so; otherwise the path is wrong.

    Mistaking an unserved path (a wrong API version) for a missing object would record
    every activity as gone.
    """
    if status != 404:
        return HubSpotError
    return ObjectNotFound if category == "OBJECT_NOT_FOUND" else VersionNotServed
