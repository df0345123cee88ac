"""Timestamps the way HubSpot writes them: UTC, millisecond precision, trailing Z."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


def iso_ms(moment: datetime) -> str:
    """2024-03-01T09:30:00.000Z"""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def parse_datetime(value: str) -> datetime | None:
    """Epoch milliseconds, an ISO-8601 datetime or a bare date, as HubSpot accepts; else None."""
    text = value.strip()
    if text.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class MonotonicClock:
    """Wall-clock time that never repeats a millisecond.

    Pollers search with `hs_lastmodifieddate > last seen`; two writes stamped with the same
    millisecond would make one of them invisible, so each reading is at least 1 ms later.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = datetime.fromtimestamp(0, tz=UTC)

    def now(self) -> datetime:
        with self._lock:
            current = datetime.now(UTC)
            current = current.replace(microsecond=current.microsecond // 1000 * 1000)
            if current <= self._last:
                current = self._last + timedelta(milliseconds=1)
            self._last = current
            return current
