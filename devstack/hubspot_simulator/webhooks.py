"""Signed webhook delivery: batching, bounded concurrency, retries and injected duplicates.

`enqueue` only appends to a buffer, so the API request that caused the events never waits.
A dispatcher thread turns the buffer into POSTs of at most `webhook_batch_size` events once
the first buffered event is `webhook_flush_interval_seconds` old (events close together are
coalesced, as HubSpot does) and hands them to a pool of `webhook_max_in_flight` threads.
A failed POST (timeout, connection error, any non-2xx) waits in a retry heap rather than in a
pool thread, so retries never hold a concurrency slot while they wait.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog

from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.faults import Faults
from devstack.hubspot_simulator.stats import Stats
from devstack.hubspot_simulator.webhook_transport import Delivery, WebhookTransport

log = structlog.get_logger(__name__)


class WebhookDispatcher:
    """Delivers events to `config.webhook_target_url`; does nothing when it is None."""

    def __init__(self, config: SimulatorConfig, faults: Faults, stats: Stats) -> None:
        self._config, self._faults, self._stats = config, faults, stats
        self._cond = threading.Condition()
        self._buffer: list[dict[str, Any]] = []
        self._buffered_since = 0.0
        self._retries: list[Delivery] = []
        self._outstanding = 0
        self._generation = 0
        self._flushing = 0
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._pool = ThreadPoolExecutor(config.webhook_max_in_flight, "hubspot-sim-webhook")
        self._transport = WebhookTransport(config)

    def enqueue(self, events: list[dict[str, Any]]) -> None:
        if not events or self._config.webhook_target_url is None:
            return
        with self._cond:
            if self._stopped:
                return
            if not self._buffer:
                self._buffered_since = time.monotonic()
            self._buffer.extend(events)
            self._start_thread()
            self._cond.notify_all()

    def flush(self, timeout: float) -> bool:
        """Send what is buffered now and wait until every delivery succeeded or gave up."""
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(self._idle, timeout)
            finally:
                self._flushing -= 1

    def pending(self) -> int:
        """Events not yet batched plus batches not yet finished."""
        with self._cond:
            return len(self._buffer) + self._outstanding

    def reset(self) -> None:
        """Forget everything pending; POSTs already in flight finish unrecorded."""
        with self._cond:
            self._generation += 1
            self._buffer.clear()
            self._retries.clear()
            self._outstanding = 0
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._transport.close()

    def _idle(self) -> bool:
        return not self._buffer and self._outstanding == 0

    def _start_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._dispatch, name="hubspot-sim-dispatcher", daemon=True
            )
            self._thread.start()

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                ready = self._wait_for_work()
            if ready is None:
                return
            for delivery in ready:
                self._pool.submit(self._send, delivery)

    def _wait_for_work(self) -> list[Delivery] | None:
        while not self._stopped:
            ready = self._take_batches() + self._take_due_retries()
            if ready:
                return ready
            self._cond.wait(self._seconds_to_next_work())
        return None

    def _take_batches(self) -> list[Delivery]:
        if not self._batch_due():
            return []
        size = self._config.webhook_batch_size
        events, self._buffer = self._buffer, []
        deliveries = []
        for start in range(0, len(events), size):
            deliveries.append(self._new_delivery(events[start : start + size]))
            if self._faults.duplicate_delivery():
                deliveries.append(self._new_delivery(events[start : start + size], True))
        return deliveries

    def _batch_due(self) -> bool:
        """A full batch goes at once; a partial one when its oldest event waited long enough."""
        if not self._buffer:
            return False
        waited = time.monotonic() - self._buffered_since
        full = len(self._buffer) >= self._config.webhook_batch_size
        return bool(self._flushing) or full or waited >= self._config.webhook_flush_interval_seconds

    def _new_delivery(self, events: list[dict[str, Any]], duplicate: bool = False) -> Delivery:
        self._outstanding += 1
        return Delivery(0.0, next(self._ids), events, self._generation, duplicate)

    def _take_due_retries(self) -> list[Delivery]:
        now, due = time.monotonic(), []
        while self._retries and self._retries[0].due <= now:
            due.append(heapq.heappop(self._retries))
        return due

    def _seconds_to_next_work(self) -> float | None:
        deadlines = [delivery.due for delivery in self._retries[:1]]
        if self._buffer:
            deadlines.append(self._buffered_since + self._config.webhook_flush_interval_seconds)
        return max(min(deadlines) - time.monotonic(), 0.0) if deadlines else None

    def _send(self, delivery: Delivery) -> None:
        attempt = self._transport.post(delivery)
        with self._cond:
            if delivery.generation != self._generation or self._stopped:
                return
            gave_up = not attempt.succeeded and delivery.attempt + 1 >= self._max_attempts
            self._stats.record_delivery(attempt, gave_up=gave_up)
            if attempt.succeeded or gave_up:
                self._finish(delivery, gave_up)
                return
            delivery.attempt += 1
            delivery.due = time.monotonic() + self._retry_delay(delivery.attempt)
            heapq.heappush(self._retries, delivery)
            self._cond.notify_all()

    def _finish(self, delivery: Delivery, gave_up: bool) -> None:
        if gave_up:
            log.warning(
                "webhook_delivery_gave_up",
                delivery_id=delivery.id,
                attempts=delivery.attempt + 1,
                events=len(delivery.events),
            )
        self._outstanding -= 1
        self._cond.notify_all()

    @property
    def _max_attempts(self) -> int:
        return max(self._config.webhook_max_attempts, 1)

    def _retry_delay(self, attempt: int) -> float:
        """Exponential backoff from the configured first delay, capped."""
        delay = self._config.webhook_retry_delay_seconds * 2 ** (attempt - 1)
        return min(delay, self._config.webhook_retry_max_delay_seconds)
