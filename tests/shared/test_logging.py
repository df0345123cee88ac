import io
import json
import logging

import pytest

from shared.logging import REDACTED, bind_ids, clear_ids, configure_logging, get_logger
from shared.settings import load_settings

ACCESS_TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "client-secret-aaaabbbbccccdddd"
SERVICE_ROLE_KEY = "service-role-key-eeeeffff00001111"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl"


@pytest.fixture
def production_log(monkeypatch) -> io.StringIO:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", ACCESS_TOKEN)
    monkeypatch.setenv("HUBSPOT_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("SUPABASE_SERVICE_ROLE_KEY", SERVICE_ROLE_KEY)
    stream = io.StringIO()
    configure_logging(load_settings(), stream=stream)
    yield stream
    clear_ids()


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_production_writes_one_json_object_per_line(production_log):
    get_logger("test").info("activity_received", activity_id="42")

    [entry] = lines(production_log)
    assert entry["event"] == "activity_received"
    assert entry["activity_id"] == "42"
    assert entry["level"] == "info"
    assert entry["timestamp"].endswith("Z")


def test_bound_ids_ride_along_until_cleared(production_log):
    bind_ids(task_id="t-1", event_id="e-9", request_id=None)
    get_logger().info("first")
    clear_ids()
    get_logger().info("second")

    first, second = lines(production_log)
    assert (first["task_id"], first["event_id"]) == ("t-1", "e-9")
    assert "request_id" not in first
    assert "task_id" not in second


def test_standard_library_loggers_are_rendered_the_same_way(production_log):
    logging.getLogger("celery.worker").warning("worker %s ready", "w1")

    [entry] = lines(production_log)
    assert entry["event"] == "worker w1 ready"
    assert entry["logger"] == "celery.worker"


@pytest.mark.parametrize(
    "emit",
    [
        lambda log: log.info("calling hubspot", authorization=f"Bearer {ACCESS_TOKEN}"),
        lambda log: log.info(
            "calling hubspot", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}
        ),
        lambda log: log.info(f"token is {ACCESS_TOKEN}"),
        lambda log: log.info("config", client_secret=CLIENT_SECRET),
        lambda log: log.info("config", detail=f"secret={CLIENT_SECRET}"),
        lambda log: log.info("supabase", api_key=SERVICE_ROLE_KEY),
        lambda log: log.info("supabase", args=[SERVICE_ROLE_KEY, "x"]),
        lambda log: log.info("jwt", value=JWT),
        lambda log: log.info("request", url="http://user:hunter2pass@host/path"),
        lambda log: logging.getLogger("lib").error("auth failed for %s", ACCESS_TOKEN),
    ],
)
def test_secrets_never_reach_the_log(production_log, emit):
    emit(get_logger("test"))

    text = production_log.getvalue()
    for secret in (ACCESS_TOKEN, CLIENT_SECRET, SERVICE_ROLE_KEY, JWT, "hunter2pass"):
        assert secret not in text
    assert REDACTED in text


def test_secrets_in_exception_text_are_scrubbed(production_log):
    try:
        raise RuntimeError(f"401 for token {ACCESS_TOKEN}")
    except RuntimeError:
        get_logger().exception("hubspot_call_failed")

    text = production_log.getvalue()
    assert ACCESS_TOKEN not in text
    assert "RuntimeError" in text


def test_development_writes_readable_console_lines(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    stream = io.StringIO()
    configure_logging(load_settings(), stream=stream)

    get_logger().info("stack_started", port=5439)

    output = stream.getvalue()
    assert "stack_started" in output
    assert "port=5439" in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(output)
