"""Injected faults: latency, 5xx answers, 429 storms and duplicate webhook deliveries.

They start from the config and can be changed while running (POST /_admin/faults). All
randomness comes from one seeded `random.Random`, so a test with a seed sees the same faults
on every run.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.errors import ApiError, validation_error

INJECTED_ERRORS = (
    (500, "internal error"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
)
_TYPES: dict[str, type] = {
    "latency_ms": int,
    "error_rate": float,
    "rate_limit_storm": bool,
    "duplicate_webhook_rate": float,
}


class Faults:
    """Current fault settings, safe to read and change from any thread."""

    def __init__(self, config: SimulatorConfig) -> None:
        self._initial = {name: getattr(config, name) for name in _TYPES}
        self._seed = config.seed
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._values = dict(self._initial)
            self._rng = random.Random(self._seed)  # noqa: S311 - fault injection, not security

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._values)

    def update(self, changes: Any) -> dict[str, Any]:
        """Apply the given fields; unknown names or bad values are a 400 and change nothing."""
        if not isinstance(changes, dict):
            raise validation_error("Expected a JSON object of fault settings.")
        cleaned = {name: _clean(name, value) for name, value in changes.items()}
        with self._lock:
            self._values.update(cleaned)
            return dict(self._values)

    @property
    def latency_seconds(self) -> float:
        with self._lock:
            return self._values["latency_ms"] / 1000

    @property
    def rate_limit_storm(self) -> bool:
        with self._lock:
            return bool(self._values["rate_limit_storm"])

    def injected_error(self) -> ApiError | None:
        """A 500/502/503 for this request, at the configured rate."""
        with self._lock:
            if self._rng.random() >= self._values["error_rate"]:
                return None
            status, message = self._rng.choice(INJECTED_ERRORS)
        return ApiError(status, message, "INTERNAL_ERROR")

    def duplicate_delivery(self) -> bool:
        with self._lock:
            return self._rng.random() < self._values["duplicate_webhook_rate"]


def _clean(name: str, value: Any) -> Any:
    expected = _TYPES.get(name)
    if expected is None:
        raise validation_error(f"Unknown fault {name!r}; known: {', '.join(_TYPES)}.")
    if expected is bool:
        if not isinstance(value, bool):
            raise validation_error(f"{name} must be true or false.")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise validation_error(f"{name} must be a non-negative number.")
    if expected is float and value > 1:
        raise validation_error(f"{name} is a fraction between 0 and 1.")
    return expected(value)
