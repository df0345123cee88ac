"""Metrics shared through a real Redis, read back as Prometheus parses ``/metrics``."""

import pytest
import redis

from devstack.processes import wait_until
from shared.exposition import render
from shared.metrics import COUNTERS, BufferedMetrics, Metrics
from tests.prometheus_text import kind, value

AWKWARD = 'say "hi" \\ then\na new line'


def test_counters_add_up_across_writers_and_render_with_labels(redis_url):
    client = redis.Redis.from_url(redis_url)
    Metrics(client).count("pipeline_runs_total", outcome="completed")
    Metrics(client).count("pipeline_runs_total", 2, outcome="completed")
    Metrics(client).count("pipeline_runs_total", outcome="failed")

    text = render(client)

    assert kind(text, "pipeline_runs") == "counter"
    assert value(text, "pipeline_runs_total", outcome="completed") == 3
    assert value(text, "pipeline_runs_total", outcome="failed") == 1


def test_labels_given_in_any_order_add_to_one_series(redis_url):
    client = redis.Redis.from_url(redis_url)
    Metrics(client).count("hubspot_calls_total", operation="search", kind="a")
    Metrics(client).count("hubspot_calls_total", kind="a", operation="search")

    assert value(render(client), "hubspot_calls_total", kind="a", operation="search") == 2


def test_a_label_may_share_a_name_with_a_parameter(redis_url):
    client = redis.Redis.from_url(redis_url)
    Metrics(client).count("hubspot_calls_total", 2, name="search", timings="x", amount="y")

    text = render(client)
    assert value(text, "hubspot_calls_total", name="search", timings="x", amount="y") == 2


def test_histograms_render_cumulative_buckets_sum_and_count(redis_url):
    client = redis.Redis.from_url(redis_url)
    for seconds in (0.002, 0.004, 0.3, 45):
        Metrics(client).record(timings={"webhook_enqueue_seconds": seconds})

    text = render(client)

    assert kind(text, "webhook_enqueue_seconds") == "histogram"
    bucket = "webhook_enqueue_seconds_bucket"
    assert value(text, bucket, le="0.001") == 0
    assert value(text, bucket, le="0.0025") == 1
    assert value(text, bucket, le="0.005") == 2
    assert value(text, bucket, le="0.5") == 3
    assert value(text, bucket, le="30.0") == 3
    assert value(text, bucket, le="+Inf") == 4
    assert value(text, "webhook_enqueue_seconds_count") == 4
    assert value(text, "webhook_enqueue_seconds_sum") == pytest.approx(45.306)


@pytest.mark.parametrize(
    ("counts", "timings", "sample", "expected"),
    [
        ({"llm_tokens_total": 5}, None, "llm_tokens_total", 5),
        (None, {"llm_call_seconds": 0.3}, "llm_call_seconds_count", 1),
    ],
    ids=["counter", "histogram"],
)
def test_a_label_with_quotes_backslashes_and_newlines_is_escaped_once(
    redis_url, counts, timings, sample, expected
):
    client = redis.Redis.from_url(redis_url)
    Metrics(client).record(counts, timings, labels={"kind": AWKWARD})

    text = render(client)

    assert value(text, sample, kind=AWKWARD) == expected
    assert 'kind="say \\"hi\\" \\\\ then\\na new line"' in text


def test_recording_never_fails_when_redis_is_down():
    Metrics(redis.Redis(port=1, socket_connect_timeout=0.2)).count("apply_jobs_total")


def test_buffered_metrics_add_up_in_memory_and_reach_redis_in_one_round_trip(redis_url):
    client = redis.Redis.from_url(redis_url)
    metrics = BufferedMetrics(client, interval=3600)  # only an explicit flush sends
    for _ in range(50):
        metrics.record(
            counts={"webhook_events_received_total": 2},
            timings={"webhook_enqueue_seconds": 0.002},
        )
    assert client.hgetall(COUNTERS) == {}

    metrics.flush()

    text = render(client)
    assert value(text, "webhook_events_received_total") == 100
    assert value(text, "webhook_enqueue_seconds_count") == 50


def test_buffered_metrics_are_sent_in_the_background(redis_url):
    client = redis.Redis.from_url(redis_url)
    metrics = BufferedMetrics(client, interval=0.05)

    metrics.count("webhook_requests_rejected_total", reason="signature")

    wait_until(lambda: client.hlen(COUNTERS) == 1, 5, "the background flush")
    assert value(render(client), "webhook_requests_rejected_total", reason="signature") == 1


def test_a_buffered_flush_never_fails_when_redis_is_down():
    metrics = BufferedMetrics(redis.Redis(port=1, socket_connect_timeout=0.2), interval=3600)
    metrics.count("webhook_events_received_total")

    metrics.flush()
