"""One webhook POST: sign the batch, send it with a timeout, report what happened."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.signing import signature_headers
from devstack.hubspot_simulator.stats import DeliveryAttempt


@dataclass(order=True)
class Delivery:
    """One batch of events on its way; `generation` ties it to the state before a reset."""

    due: float
    id: int
    events: list[dict[str, Any]] = field(compare=False)
    generation: int = field(compare=False)
    duplicate: bool = field(default=False, compare=False)
    attempt: int = field(default=0, compare=False)


class WebhookTransport:
    """Signs and POSTs batches to the configured target; safe to use from many threads."""

    def __init__(self, config: SimulatorConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None

    def post(self, delivery: Delivery) -> DeliveryAttempt:
        url = str(self._config.webhook_target_url)
        events = [{**event, "attemptNumber": delivery.attempt} for event in delivery.events]
        body = json.dumps(events, separators=(",", ":"))
        headers = signature_headers(
            self._config.client_secret,
            url,
            body,
            int(time.time() * 1000),
            include_v1=self._config.webhook_send_v1_signature,
        )
        started, status, error = time.monotonic(), None, None
        try:
            status = self._client().post(url, content=body.encode(), headers=headers).status_code
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        return DeliveryAttempt(
            delivery_id=delivery.id,
            attempt_number=delivery.attempt,
            status=status,
            error=error,
            event_count=len(events),
            event_ids=[event["eventId"] for event in events],
            duplicate=delivery.duplicate,
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()

    def _client(self) -> httpx.Client:
        # Built on first use: setting up the TLS context takes ~35 ms, which would slow
        # every simulator start (and so every test) for nothing.
        with self._lock:
            if self._http is None:
                timeout = self._config.webhook_timeout_seconds
                self._http = httpx.Client(timeout=timeout, trust_env=False)
            return self._http
