"""Pipeline metrics kept in Redis, so every process on every machine adds to the same
numbers, and the web process serves them at ``/metrics`` in Prometheus' text format.

Histograms store one counter per bucket (the bucket a value falls in); the cumulative
``le`` series Prometheus expects are summed when rendering. Recording never raises: a
metric lost to a Redis hiccup must not fail a webhook or a run. The web process adds up
in memory and sends once a second (``BufferedMetrics``), so no webhook waits on Redis for
its counters.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from typing import Any

import redis

from shared.logging import get_logger

COUNTERS = "metrics:counters"
HISTOGRAMS = "metrics:histograms"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HELP = {
    "webhook_events_received_total": ("counter", "events in verified webhook deliveries"),
    "webhook_events_accepted_total": ("counter", "activity events enqueued"),
    "webhook_events_duplicate_total": (
        "counter",
        "events dropped as seen before (receiver: within a delivery; ingest: across deliveries)",
    ),
    "webhook_events_ignored_total": ("counter", "events acknowledged but not activity events"),
    "webhook_events_foreign_portal_total": (
        "counter",
        "events of another HubSpot account than the token's: acknowledged, not processed",
    ),
    "webhook_events_portal_unchecked_total": (
        "counter",
        "events processed before HubSpot ever gave the account's id to check them against",
    ),
    "webhook_requests_rejected_total": ("counter", "webhook requests refused, by reason"),
    "webhook_enqueue_seconds": ("histogram", "enqueue time per delivery"),
    "pipeline_runs_total": ("counter", "processing runs finished, by outcome"),
    "llm_call_seconds": ("histogram", "time in the LLM per run"),
    "llm_tokens_total": ("counter", "tokens used, by kind"),
    "llm_cost_usd_total": ("counter", "LLM cost where litellm knows the price"),
    "hubspot_calls_total": ("counter", "HubSpot API requests made, by operation"),
    "hubspot_rate_limited_total": ("counter", "HubSpot 429 answers received"),
    "apply_jobs_total": ("counter", "apply jobs finished, by outcome"),
}

log = get_logger(__name__)


class Metrics:
    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    def count(self, name: str, amount: float = 1, **labels: str) -> None:
        self.record(counts={name: amount}, **labels)

    def record(
        self,
        counts: dict[str, float] | None = None,
        timings: dict[str, float] | None = None,
        **labels: str,
    ) -> None:
        """Add to counters and observe timings (seconds), all in one round trip."""
        commands = [
            ("hincrbyfloat", COUNTERS, _series(name, labels), amount)
            for name, amount in (counts or {}).items()
            if amount
        ]
        for name, seconds in (timings or {}).items():
            position = bisect.bisect_left(BUCKETS, seconds)
            bucket = str(BUCKETS[position]) if position < len(BUCKETS) else "+Inf"
            commands += [
                ("hincrbyfloat", HISTOGRAMS, _series(name, {**labels, "le": bucket}), 1),
                ("hincrbyfloat", HISTOGRAMS, _series(f"{name}_sum", labels), seconds),
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


def render(client: redis.Redis, gauges: dict[str, tuple[str, float]] | None = None) -> str:
    """Every series in Prometheus' text exposition format, then ``gauges`` (name: help,
    value), which the caller reads at the moment of asking."""
    counters = {k.decode(): float(v) for k, v in client.hgetall(COUNTERS).items()}
    histograms = {k.decode(): float(v) for k, v in client.hgetall(HISTOGRAMS).items()}
    lines = []
    for name, (kind, text) in HELP.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
        if kind == "counter":
            lines += [
                f"{s} {_number(v)}" for s, v in sorted(counters.items()) if s.split("{")[0] == name
            ]
        else:
            lines += _histogram_lines(name, histograms)
    for name, (text, value) in (gauges or {}).items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} gauge", f"{name} {_number(value)}"]
    return "\n".join(lines) + "\n"


def _histogram_lines(name: str, stored: dict[str, float]) -> list[str]:
    per_labels: dict[str, dict[str, float]] = defaultdict(dict)
    sums: dict[str, float] = {}
    for series, value in stored.items():
        base, labels = _split(series)
        if base == f"{name}_sum":
            sums[_label_text(labels)] = value
        elif base == name:
            le = labels.pop("le")
            per_labels[_label_text(labels)][le] = value
    lines = []
    for label_text, buckets in sorted(per_labels.items()):
        running = 0.0
        for bound in [*map(str, BUCKETS), "+Inf"]:
            running += buckets.get(bound, 0)
            lines.append(f"{name}_bucket{_with(label_text, 'le', bound)} {_number(running)}")
        lines.append(f"{name}_sum{label_text} {_number(sums.get(label_text, 0))}")
        lines.append(f"{name}_count{label_text} {_number(running)}")
    return lines


def _series(name: str, labels: dict[str, str]) -> str:
    return name + _label_text(labels)


def _label_text(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    body = ",".join(f'{k}="{_escape(str(v))}"' for k, v in sorted(labels.items()))
    return "{" + body + "}"


def _with(label_text: str, key: str, value: str) -> str:
    extra = f'{key}="{value}"'
    return "{" + (label_text[1:-1] + "," if label_text else "") + extra + "}"


def _split(series: str) -> tuple[str, dict[str, str]]:
    if "{" not in series:
        return series, {}
    base, body = series.split("{", 1)
    pairs = [pair.split("=", 1) for pair in body.rstrip("}").split('",') if pair]
    return base, {k: v.strip('"') for k, v in pairs}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)
