"""Metrics shared through a real Redis, rendered in Prometheus' text format."""

import redis

from devstack.processes import wait_until
from shared.metrics import COUNTERS, BufferedMetrics, Metrics, render


def test_counters_add_up_across_writers_and_render_with_labels(redis_url):
    client = redis.Redis.from_url(redis_url)
    Metrics(client).count("pipeline_runs_total", outcome="completed")
    Metrics(client).count("pipeline_runs_total", 2, outcome="completed")
    Metrics(client).count("pipeline_runs_total", outcome="failed")

    text = render(client)

    assert "# TYPE pipeline_runs_total counter" in text
    assert 'pipeline_runs_total{outcome="completed"} 3' in text
    assert 'pipeline_runs_total{outcome="failed"} 1' in text


def test_histograms_render_cumulative_buckets_sum_and_count(redis_url):
    client = redis.Redis.from_url(redis_url)
    for seconds in (0.002, 0.004, 0.3, 45):
        Metrics(client).record(timings={"webhook_enqueue_seconds": seconds})

    lines = render(client).splitlines()

    assert 'webhook_enqueue_seconds_bucket{le="0.0025"} 1' in lines
    assert 'webhook_enqueue_seconds_bucket{le="0.005"} 2' in lines
    assert 'webhook_enqueue_seconds_bucket{le="0.5"} 3' in lines
    assert 'webhook_enqueue_seconds_bucket{le="+Inf"} 4' in lines
    assert "webhook_enqueue_seconds_count 4" in lines
    assert any(line.startswith("webhook_enqueue_seconds_sum 45.30") for line in lines)


def test_recording_never_fails_when_redis_is_down():
    Metrics(redis.Redis(port=1, socket_connect_timeout=0.2)).count("apply_jobs_total")


def test_the_web_process_serves_metrics(redis_url, monkeypatch):
    from tests import webhook_signing as sign
    from webhook_receiver import create_app

    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", "https://hooks.example.com")
    from shared.settings import get_settings

    get_settings.cache_clear()
    client = create_app().test_client()
    body = sign.body_of([sign.activity_event(), sign.activity_event(type_id="0-1", event_id=2)])
    client.post(
        "/webhooks/hubspot",
        data=body,
        headers=sign.v3_headers(
            "test-client-secret-5f1c", "https://hooks.example.com/webhooks/hubspot", body
        ),
    )
    client.post("/webhooks/hubspot", data=body, headers={"Content-Type": "application/json"})

    response = client.get("/metrics")

    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "webhook_events_received_total 2" in text
    assert "webhook_events_accepted_total 1" in text
    assert "webhook_events_ignored_total 1" in text
    assert 'webhook_requests_rejected_total{reason="signature"} 1' in text
    assert "webhook_enqueue_seconds_count 1" in text


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
    assert "webhook_events_received_total 100" in text
    assert "webhook_enqueue_seconds_count 50" in text


def test_buffered_metrics_are_sent_in_the_background(redis_url):
    client = redis.Redis.from_url(redis_url)
    metrics = BufferedMetrics(client, interval=0.05)

    metrics.count("webhook_requests_rejected_total", reason="signature")

    wait_until(lambda: client.hlen(COUNTERS) == 1, 5, "the background flush")
    assert 'webhook_requests_rejected_total{reason="signature"} 1' in render(client)


def test_a_buffered_flush_never_fails_when_redis_is_down():
    metrics = BufferedMetrics(redis.Redis(port=1, socket_connect_timeout=0.2), interval=3600)
    metrics.count("webhook_events_received_total")

    metrics.flush()
