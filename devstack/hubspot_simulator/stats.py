"""What the simulator served: requests per route and status, 429s, injected 5xx, webhooks,
and per account who asked for what.

Benchmarks read these through GET /_admin/stats to count API calls per activity and the
429s a client provoked, so counting happens for every API answer, refused ones included.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass
from typing import Any

# Enough for long benchmark runs without growing without bound.
MAX_DELIVERY_RECORDS = 50_000


@dataclass(frozen=True)
class DeliveryAttempt:
    """One webhook POST: its outcome and what it carried."""

    delivery_id: int
    attempt_number: int
    status: int | None
    error: str | None
    event_count: int
    event_ids: list[int]
    duplicate: bool
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Stats:
    """Thread-safe counters; `snapshot()` is the admin API's view."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._by_route: dict[str, Counter[str]] = defaultdict(Counter)
            self._injected: Counter[str] = Counter()
            self._attempts: deque[DeliveryAttempt] = deque(maxlen=MAX_DELIVERY_RECORDS)
            self._delivery_totals: Counter[str] = Counter()

    def record_request(self, route: str, status: int) -> None:
        with self._lock:
            self._by_route[route][str(status)] += 1

    def record_injected_error(self, status: int) -> None:
        with self._lock:
            self._injected[str(status)] += 1

    def record_delivery(self, attempt: DeliveryAttempt, gave_up: bool = False) -> None:
        with self._lock:
            self._delivery_totals["gave_up"] += int(gave_up)
            self._attempts.append(attempt)
            self._delivery_totals["attempts"] += 1
            outcome = "succeeded" if attempt.succeeded else "failed"
            self._delivery_totals[outcome] += 1
            if attempt.succeeded:
                self._delivery_totals["events_delivered"] += attempt.event_count

    def snapshot(self, include_deliveries: bool = True) -> dict[str, Any]:
        with self._lock:
            by_route = {
                route: {"total": sum(counts.values()), "by_status": dict(counts)}
                for route, counts in sorted(self._by_route.items())
            }
            attempts = [asdict(a) for a in self._attempts] if include_deliveries else []
            webhooks = {"attempts": 0, "succeeded": 0, "failed": 0, "gave_up": 0}
            webhooks["events_delivered"] = 0
            webhooks |= dict(self._delivery_totals)
            injected = dict(self._injected)
        return {
            "requests": {
                "total": sum(entry["total"] for entry in by_route.values()),
                "by_route": by_route,
            },
            "rate_limited": sum(e["by_status"].get("429", 0) for e in by_route.values()),
            "injected_errors": {"total": sum(injected.values()), "by_status": injected},
            "webhooks": {**webhooks, "deliveries": attempts},
        }


class AccountRequests:
    """One account's authenticated requests: per token, per route, and how many named an
    object that belongs to another account (a request the account's token should never make).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._by_token: Counter[str] = Counter()
            self._by_route: Counter[str] = Counter()
            self._cross_account = 0

    def record(self, token: str, route: str) -> None:
        with self._lock:
            self._by_token[token] += 1
            self._by_route[route] += 1

    def record_cross_account(self) -> None:
        with self._lock:
            self._cross_account += 1

    @property
    def cross_account(self) -> int:
        with self._lock:
            return self._cross_account

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._by_token.values()),
                "by_token": dict(self._by_token),
                "by_route": dict(sorted(self._by_route.items())),
                "cross_account": self._cross_account,
            }
