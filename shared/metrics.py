"""Pipeline metrics kept in Redis, so every process on every machine adds to the same
numbers; the web process serves them at ``/metrics`` (``shared.exposition``).

Each series is one field of a Redis hash, named by JSON ``[name, labels]`` (histograms:
``[name, labels, bucket]``, the bucket a value falls in, or ``"sum"``), so label values
need no escaping of our own. Recording never raises: a metric lost to a Redis hiccup must
not fail a webhook or a run. The web process adds up in memory and sends once a second
(``BufferedMetrics``), so no webhook waits on Redis for its counters.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
from collections import defaultdict
from typing import Any

import redis
from prometheus_client.utils import floatToGoString

from shared.logging import get_logger

# The fields of older releases were Prometheus text, not JSON: these keys keep them apart.
COUNTERS = "metrics:v2:counters"
HISTOGRAMS = "metrics:v2:histograms"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Each bucket by its ``le`` label, the last one +Inf.
BUCKET_BOUNDS = tuple(floatToGoString(bound) for bound in (*BUCKETS, math.inf))
SUM = "sum"

HELP = {
    "webhook_events_received_total": ("counter", "events in verified webhook deliveries"),
    "webhook_events_accepted_total": (
        "counter",
        "events enqueued: activities' events and contacts' privacy deletions",
    ),
    "webhook_events_duplicate_total": (
        "counter",
        "events dropped as seen before (receiver: within a delivery; ingest: across deliveries)",
    ),
    "webhook_events_ignored_total": ("counter", "events acknowledged but not activity events"),
    "webhook_events_unserved_total": (
        "counter",
        "events of an account the service does not act for (not installed, disconnected, "
        "uninstalled, or not the static token's), by status: acknowledged, not processed",
    ),
    "webhook_events_portal_unchecked_total": (
        "counter",
        "events queued before HubSpot ever said which account the static token reaches",
    ),
    "fetches_waiting_for_account_total": (
        "counter",
        "fetches that left their ids waiting because the account is lost, by status",
    ),
    "webhook_requests_rejected_total": ("counter", "webhook requests refused, by reason"),
    "webhook_enqueue_seconds": ("histogram", "enqueue time per delivery"),
    "privacy_deletions_total": (
        "counter",
        "contacts' privacy deletions carried out (their activities' texts removed)",
    ),
    "pipeline_runs_total": ("counter", "processing runs finished, by outcome"),
    "llm_call_seconds": ("histogram", "time in the LLM per run"),
    "llm_tokens_total": ("counter", "tokens used, by kind"),
    "llm_cost_usd_total": ("counter", "LLM cost where litellm knows the price"),
    "hubspot_calls_total": ("counter", "HubSpot API requests made, by operation"),
    "hubspot_rate_limited_total": ("counter", "HubSpot 429 answers received"),
    "hubspot_token_refreshes_total": ("counter", "OAuth access tokens refreshed"),
    "hubspot_accounts_lost_total": (
        "counter",
        "HubSpot accounts the app lost (disconnected: refresh refused; uninstalled), by status",
    ),
    "hubspot_accounts_purged_total": (
        "counter",
        "uninstalled HubSpot accounts whose stored data was purged after the grace period",
    ),
    "hubspot_journal_entries_total": (
        "counter",
        "webhooks journal entries handled, by kind (crm, app_install, app_uninstall, "
        "not_understood)",
    ),
    "apply_jobs_total": ("counter", "apply jobs finished, by outcome"),
    "drafts_accepted_total": ("counter", "drafts accepted, by tone and activity type"),
    "drafts_rejected_total": ("counter", "drafts rejected, by tone, activity type and reason"),
    "draft_edit_distance": (
        "histogram",
        "how much reps edit a draft they accept (normalised: 0 untouched, 1 rewritten)",
    ),
}

log = get_logger(__name__)


class Metrics:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def count(self, name: str, amount: float = 1, /, **labels: str) -> None:
        """Add to one counter; every keyword is a label (the parameters before ``/`` are
        positional-only, so a label may be called ``name`` or ``amount``)."""
        self.record(counts={name: amount}, labels=labels)

    def record(
        self,
        counts: dict[str, float] | None = None,
        timings: dict[str, float] | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        """Add to counters and observe timings (seconds), all in one round trip, every series
        with the same labels."""
        labels = labels or {}
        commands = [
            ("hincrbyfloat", COUNTERS, series_field(name, labels), amount)
            for name, amount in (counts or {}).items()
            if amount
        ]
        for name, seconds in (timings or {}).items():
            bucket = BUCKET_BOUNDS[bisect.bisect_left(BUCKETS, seconds)]
            commands += [
                ("hincrbyfloat", HISTOGRAMS, series_field(name, labels, bucket), 1),
                ("hincrbyfloat", HISTOGRAMS, series_field(name, labels, SUM), seconds),
            ]
        if commands:
            self._send(commands)

    def _send(self, commands: list[tuple[Any, ...]]) -> None:
        try:
            pipe = self.redis.pipeline(transaction=False)
            for command, *args in commands:
                getattr(pipe, command)(*args)
            pipe.execute()
        except redis.RedisError as exc:
            log.debug("metric_not_recorded", error=type(exc).__name__)


class BufferedMetrics(Metrics):
    """Metrics added up in this process and sent in one round trip every ``interval``
    seconds by a background thread (started on first use, so after a server forks). Up to
    one interval of counts is lost if the process dies; ``flush`` sends what is pending."""

    def __init__(self, client: redis.Redis, interval: float = 1.0) -> None:
        super().__init__(client)
        self.interval = interval
        self._pending: defaultdict[tuple[str, str], float] = defaultdict(float)
        self._lock = threading.Lock()
        self._flusher: threading.Thread | None = None

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, defaultdict(float)
        if pending:
            commands = [
                ("hincrbyfloat", key, field, value) for (key, field), value in pending.items()
            ]
            super()._send(commands)

    def _send(self, commands: list[tuple[Any, ...]]) -> None:
        with self._lock:
            for _command, key, field, amount in commands:
                self._pending[(key, field)] += amount
            if self._flusher is None:
                self._flusher = threading.Thread(target=self._flush_forever, daemon=True)
                self._flusher.start()

    def _flush_forever(self) -> None:
        stop = threading.Event()  # never set: the thread lives as long as the process
        while not stop.wait(self.interval):
            self.flush()


def series_field(name: str, labels: dict[str, str], *part: str) -> str:
    """The hash field of one series: the same labels in any order give the same field."""
    return json.dumps([name, {k: str(v) for k, v in labels.items()}, *part], sort_keys=True)
