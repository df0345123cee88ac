"""structlog set-up: console lines in development, JSON lines elsewhere, secrets scrubbed.

Ids (event, request, task, activity) are bound with ``bind_ids`` and ride along in
contextvars, so every line written while handling one thing carries them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

from shared.settings import Settings

REDACTED = "[REDACTED]"

# Keys whose values are secret whatever they hold.
_SECRET_KEY = re.compile(
    r"(secret|token|password|passwd|api[_-]?key|service[_-]?role|authorization|signature|cookie)",
    re.IGNORECASE,
)
# Secrets that hide inside ordinary text: credentials in URLs, bearer tokens, JWTs.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@/\s]+(?=@)", re.I)
_TEXT_PATTERNS = (
    (_URL_PASSWORD, r"\g<head>" + REDACTED),
    (re.compile(r"(?P<head>bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\g<head>" + REDACTED),
    (re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"), REDACTED),
)


class SecretScrubber:
    """A structlog processor that removes secrets from every value of every event."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self.known_secrets = sorted({s for s in known_secrets if s}, key=len, reverse=True)

    def __call__(self, _logger: Any, _method: str, event: MutableMapping[str, Any]) -> Any:
        return {key: self._clean(key, value) for key, value in event.items()}

    def _clean(self, key: str, value: Any) -> Any:
        if key != "event" and _SECRET_KEY.search(key) and value not in (None, ""):
            return REDACTED
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, dict):
            return {k: self._clean(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self._clean("", item) for item in value)
        return value

    def scrub_text(self, text: str) -> str:
        for secret in self.known_secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _TEXT_PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def configure_logging(settings: Settings, stream: Any = None) -> None:
    """Route structlog and the standard library through one scrubbing pipeline."""
    scrubber = SecretScrubber(settings.secret_values())
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=False)
        if settings.app_env == "development"
        else structlog.processors.JSONRenderer()
    )
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        scrubber,
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared_processors],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    structlog.configure(
        # Dropping filtered-out lines first keeps a disabled log call nearly free.
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def bind_ids(**ids: str | int | None) -> None:
    """Attach ids (event_id, request_id, task_id, activity_id, ...) to every following line."""
    structlog.contextvars.bind_contextvars(**{k: v for k, v in ids.items() if v is not None})


def correlation_id(activity_id: str | int) -> str:
    """The id every log line of one activity's journey carries, webhook to write-back. It is
    derived from the HubSpot id, so no stage has to hand it to the next."""
    return f"hubspot-activity-{activity_id}"


def bind_activity(activity_id: str | int, **ids: str | int | None) -> None:
    bind_ids(activity_id=str(activity_id), correlation_id=correlation_id(activity_id), **ids)


def clear_ids() -> None:
    structlog.contextvars.clear_contextvars()


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
