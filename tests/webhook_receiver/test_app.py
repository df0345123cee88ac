import socket
import subprocess
import sys
import time

from shared.accounts.states import mark_connected, mark_lost
from shared.hubspot.daily_cap import DailyCap
from shared.pipeline.parking import PARKED_KEY
from shared.settings import get_settings
from tests import webhook_signing as sign
from tests.prometheus_text import value
from tests.webhook_receiver.conftest import PUBLIC_BASE, SECRET, queued_events
from webhook_receiver import create_app


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz").json
    assert ready["status"] == "ready"
    assert ready["hubspot"] == {
        "daily_limit_reached": False,
        "calls_resume_at": None,
        "daily_calls_remaining": None,
        "parked_work": 0,
        "accounts_disconnected": [],
        "accounts_uninstalled": [],
    }


def test_readiness_and_metrics_name_the_accounts_the_app_lost(client, broker):
    mark_lost(broker, 7_000_001, "disconnected")
    mark_lost(broker, 7_000_002, "uninstalled")
    mark_lost(broker, 7_000_003, "uninstalled")
    mark_connected(broker, 7_000_003)  # installed again

    ready = client.get("/readyz")
    metrics = client.get("/metrics").get_data(as_text=True)

    assert ready.status_code == 200  # other accounts' deliveries are still taken
    assert ready.json["hubspot"]["accounts_disconnected"] == [7_000_001]
    assert ready.json["hubspot"]["accounts_uninstalled"] == [7_000_002]
    assert 'hubspot_accounts_lost{status="disconnected"} 1.0' in metrics
    assert 'hubspot_accounts_lost{status="uninstalled"} 1.0' in metrics


def test_readiness_and_metrics_show_hubspots_daily_cap(client, broker):
    DailyCap(broker).reach()
    DailyCap(broker).observe({"x-hubspot-ratelimit-daily-remaining": "0"})
    broker.hset(PARKED_KEY, '{"args": ["notes"]}', "1")

    ready = client.get("/readyz")
    metrics = client.get("/metrics").get_data(as_text=True)

    assert ready.status_code == 200  # deliveries are still taken: they wait for the reset
    assert ready.json["hubspot"]["daily_limit_reached"] is True
    assert ready.json["hubspot"]["calls_resume_at"] is not None
    assert ready.json["hubspot"]["daily_calls_remaining"] == 0
    assert ready.json["hubspot"]["parked_work"] == 1
    assert value(metrics, "hubspot_daily_limit_reached") == 1
    assert value(metrics, "hubspot_daily_calls_remaining") == 0
    assert value(metrics, "hubspot_parked_work") == 1


def test_the_web_process_serves_metrics(client):
    body = sign.body_of([sign.activity_event(), sign.activity_event(type_id="0-1", event_id=2)])
    url = f"{PUBLIC_BASE}/webhooks/hubspot"
    client.post("/webhooks/hubspot", data=body, headers=sign.v3_headers(SECRET, url, body))
    client.post("/webhooks/hubspot", data=body, headers={"Content-Type": "application/json"})

    response = client.get("/metrics")

    assert response.content_type == "text/plain; version=0.0.4; charset=utf-8"
    text = response.get_data(as_text=True)
    assert value(text, "webhook_events_received_total") == 2
    assert value(text, "webhook_events_accepted_total") == 1
    assert value(text, "webhook_events_ignored_total") == 1
    assert value(text, "webhook_requests_rejected_total", reason="signature") == 1
    assert value(text, "webhook_enqueue_seconds_count") == 1
    assert value(text, "celery_queue_length", queue="activities") == 1


def test_metrics_answer_503_within_a_second_or_so_when_redis_hangs(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        get_settings.cache_clear()
        client = create_app().test_client()
        started = time.monotonic()

        response = client.get("/metrics")

    assert response.status_code == 503
    assert time.monotonic() - started < 2.5  # the web process's one-second Redis timeout


def test_unknown_routes_and_methods_get_json_errors(client):
    assert client.get("/nope").json["error"] == "not_found"
    assert client.get("/webhooks/hubspot").status_code == 405


def test_the_web_process_never_imports_the_llm_stack(redis_url):
    script = (
        "import sys\n"
        "from webhook_receiver import create_app\n"
        "app = create_app()\n"
        "app.test_client().get('/healthz')\n"
        "assert 'litellm' not in sys.modules, 'litellm was imported'\n"
        "assert 'openai' not in sys.modules, 'openai was imported'\n"
        "print('clean')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"


def test_forwarded_headers_are_ignored_by_default(redis_url, broker):
    settings = get_settings().model_copy(update={"webhook_public_base_url": None})
    assert settings.webhook_trusted_proxies == 0
    client = create_app(settings)
    body = sign.body_of([sign.activity_event()])
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.com"}
    headers = {
        **sign.v3_headers(SECRET, "https://hooks.example.com/webhooks/hubspot", body),
        **forged,
    }

    response = client.test_client().post("/webhooks/hubspot", data=body, headers=headers)

    assert response.status_code == 401
    assert queued_events(broker) == []


def test_behind_a_trusted_proxy_the_forwarded_url_is_verified(redis_url, monkeypatch, broker):
    monkeypatch.delenv("WEBHOOK_PUBLIC_BASE_URL")
    monkeypatch.setenv("WEBHOOK_TRUSTED_PROXIES", "1")
    get_settings.cache_clear()
    client = create_app().test_client()
    body = sign.body_of([sign.activity_event()])
    headers = {
        **sign.v3_headers(SECRET, "https://hooks.example.com/webhooks/hubspot", body),
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "hooks.example.com",
    }

    response = client.post("/webhooks/hubspot", data=body, headers=headers)

    assert response.status_code == 200
    assert len(queued_events(broker)) == 1
