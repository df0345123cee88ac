"""What ``/metrics`` serves: the shared totals (``shared.metrics``) and the work waiting in
Redis, read in one pipeline and written out by prometheus_client.

Every process adds to the same totals in Redis, so any web replica serves the whole
cluster's numbers. The reads are one round trip, bounded by the client's socket timeout
(the web process's client gives up after a second).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import redis
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from shared.accounts.states import LOST_ACCOUNTS, LOST_STATUSES
from shared.hubspot.daily_cap import CAP_KEY, REMAINING_KEY
from shared.hubspot.models import KINDS
from shared.metrics import BUCKET_BOUNDS, COUNTERS, HELP, HISTOGRAMS, SUM
from shared.pipeline.parking import PARKED_KEY
from shared.pipeline.pending import PENDING_ACCOUNTS, waiting_by_type
from shared.queues import ACTIVITIES_QUEUE, APPLY_QUEUE

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # what generate_latest writes
QUEUES = (ACTIVITIES_QUEUE, APPLY_QUEUE)
OBJECT_TYPES = tuple(kind.object_type for kind in KINDS)

# One stored series: its labels, what part of it (a histogram's bucket or sum), its value.
Series = tuple[dict[str, str], list[str], float]


def render(client: redis.Redis) -> str:
    """Prometheus' text exposition format of everything Redis holds now."""
    registry = CollectorRegistry()
    registry.register(Snapshot.read(client))
    return generate_latest(registry).decode()


@dataclass(frozen=True, eq=False)  # a registry keys its collectors by identity
class Snapshot:
    """What Redis held at one scrape, as a prometheus_client collector."""

    counters: dict[bytes, bytes]
    histograms: dict[bytes, bytes]
    queued: dict[str, int]
    pending: dict[str, int]
    parked: int
    daily_limit_reached: bool
    daily_calls_remaining: int | None
    lost_accounts: dict[str, int]

    @classmethod
    def read(cls, client: redis.Redis) -> Snapshot:
        pipe = client.pipeline(transaction=False)
        for key in (COUNTERS, HISTOGRAMS):
            pipe.hgetall(key)
        pipe.hlen(PARKED_KEY)
        pipe.exists(CAP_KEY)  # set until HubSpot's daily reset, and expires then
        pipe.get(REMAINING_KEY)
        pipe.hvals(LOST_ACCOUNTS)
        # Each queue's list in the broker: messages no worker has taken yet (kombu keeps
        # taken ones apart until they are acknowledged).
        pipe.smembers(PENDING_ACCOUNTS)
        for queue in QUEUES:
            pipe.llen(queue)
        counters, histograms, parked, capped, remaining, lost, accounts, *queued = pipe.execute()
        return cls(
            counters,
            histograms,
            queued=dict(zip(QUEUES, queued, strict=True)),
            pending=waiting_by_type(client, list(OBJECT_TYPES), accounts),
            parked=parked,
            daily_limit_reached=bool(capped),
            lost_accounts=dict(Counter(status.decode() for status in lost)),
            daily_calls_remaining=int(remaining) if remaining is not None else None,
        )

    def collect(self) -> Iterator[Metric]:
        counters, histograms = _by_name(self.counters), _by_name(self.histograms)
        for name, (kind, text) in HELP.items():
            if kind == "counter":
                yield _counter(name, text, counters[name])
            else:
                yield _histogram(name, text, histograms[name])
        yield from self._waiting_work()

    def _waiting_work(self) -> Iterator[Metric]:
        yield _labelled_gauge(
            "celery_queue_length",
            "messages waiting in a Celery queue for a worker",
            "queue",
            self.queued,
        )
        yield _labelled_gauge(
            "activities_pending_fetch",
            "activities waiting for a batch read from HubSpot, by object type",
            "object_type",
            self.pending,
        )
        yield GaugeMetricFamily(
            "hubspot_parked_work", "tasks waiting for HubSpot's daily limit to reset", self.parked
        )
        yield _labelled_gauge(
            "hubspot_accounts_lost",
            "HubSpot accounts the app can no longer act for, by status",
            "status",
            {status: self.lost_accounts.get(status, 0) for status in LOST_STATUSES},
        )
        yield GaugeMetricFamily(
            "hubspot_daily_limit_reached",
            "1 while HubSpot's daily API limit is used up and no calls are made",
            int(self.daily_limit_reached),
        )
        if self.daily_calls_remaining is not None:
            yield GaugeMetricFamily(
                "hubspot_daily_calls_remaining",
                "HubSpot's X-HubSpot-RateLimit-Daily-Remaining, as last seen",
                self.daily_calls_remaining,
            )


def _by_name(stored: dict[bytes, bytes]) -> defaultdict[str, list[Series]]:
    series: defaultdict[str, list[Series]] = defaultdict(list)
    for field, value in stored.items():
        name, labels, *part = json.loads(field)
        series[name].append((labels, part, float(value)))
    return series


def _counter(name: str, text: str, series: list[Series]) -> CounterMetricFamily:
    names = _label_names(labels for labels, _, _ in series)
    family = CounterMetricFamily(name, text, labels=names)
    for values, value in sorted((_values(labels, names), value) for labels, _, value in series):
        family.add_metric(values, value)
    return family


def _histogram(name: str, text: str, series: list[Series]) -> HistogramMetricFamily:
    parts: defaultdict[tuple[tuple[str, str], ...], dict[str, float]] = defaultdict(dict)
    for labels, (part,), value in series:
        parts[tuple(sorted(labels.items()))][part] = value
    names = _label_names(dict(key) for key in parts)
    family = HistogramMetricFamily(name, text, labels=names)
    for key, stored in sorted(parts.items()):
        # Stored per bucket a value fell in; Prometheus' buckets count everything up to ``le``.
        counts = itertools.accumulate(stored.get(bound, 0.0) for bound in BUCKET_BOUNDS)
        buckets = list(zip(BUCKET_BOUNDS, counts, strict=True))
        family.add_metric(_values(dict(key), names), buckets, stored.get(SUM, 0.0))
    return family


def _labelled_gauge(name: str, text: str, label: str, values: dict[str, int]) -> Metric:
    family = GaugeMetricFamily(name, text, labels=[label])
    for label_value, value in values.items():
        family.add_metric([label_value], value)
    return family


def _label_names(label_sets: Iterable[dict[str, str]]) -> list[str]:
    return sorted({name for labels in label_sets for name in labels})


def _values(labels: dict[str, str], names: list[str]) -> list[str]:
    # A label a series does not have is the empty value, which Prometheus reads as absent.
    return [labels.get(name, "") for name in names]
