"""What can go wrong getting suggestions, and which of it is worth another try."""

from __future__ import annotations

from litellm.exceptions import (
    APIConnectionError,
    BadGatewayError,
    InternalServerError,
    RateLimitError,
    ServiceUnavailableError,
    Timeout,
)

from shared.llm.budget import BudgetTimeout

# Worth another try: the provider is busy, slow, unreachable or broken for the moment.
# litellm.Timeout is an APIConnectionError; 408/409/429/5xx are caught by status below too.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    RateLimitError,
    Timeout,
    APIConnectionError,
    InternalServerError,
    ServiceUnavailableError,
    BadGatewayError,
)
TRANSIENT_STATUSES = frozenset({408, 409, 429})


class SuggestionError(RuntimeError):
    """No usable suggestions for this activity; the message says why."""


class ModelUnavailable(SuggestionError):
    """Every attempt failed with a transient error: a later run may well succeed."""


class ModelRejected(SuggestionError):
    """The provider refused the request (auth, bad request...): retrying will not help."""


class InvalidSuggestions(SuggestionError):
    """The model's answer failed validation, and so did the one repair attempt."""


# litellm's request set-up and logging read shared dicts that other threads change, and a
# call among many concurrent ones now and then fails with this (BerriAI/litellm#34719, open):
# the call was never made, so it is tried again like a dropped connection.
_LIBRARY_RACE = "dictionary changed size during iteration"


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (*TRANSIENT_ERRORS, BudgetTimeout)):  # the budget frees up by itself
        return True
    if type(exc) is RuntimeError and str(exc) == _LIBRARY_RACE:
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and (status in TRANSIENT_STATUSES or status >= 500)


# A provider asking for a longer wait than this is treated as down for now: the run fails
# transiently (replayable) rather than holding a worker thread.
MAX_RETRY_AFTER_SECONDS = 60.0


def retry_after_seconds(exc: BaseException) -> float:
    """How long the provider asked us to wait (``Retry-After``, in seconds); 0 if it did not."""
    places = (
        getattr(exc, "litellm_response_headers", None),  # the provider's own answer
        getattr(exc, "headers", None),
        getattr(getattr(exc, "response", None), "headers", None),
    )
    for headers in places:
        value = next(
            (v for k, v in dict(headers or {}).items() if k.lower() == "retry-after"), None
        )
        if value:
            try:
                return min(max(0.0, float(value)), MAX_RETRY_AFTER_SECONDS)
            except ValueError:
                return 0.0
    return 0.0


def describe(exc: BaseException) -> str:
    """One line naming the error's class, for messages and logs."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:500]}"
