"""Serving: settings and SIMULATOR_* variables become a config; SIGTERM stops `run` cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from pydantic import SecretStr

from devstack.hubspot_simulator.server import config_from_env
from tests.devstack.hubspot_simulator.support import VERSION, poll

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SETTINGS = SimpleNamespace(
    hubspot_access_token=SecretStr("token-1"),
    hubspot_client_secret=SecretStr("secret-1"),
    hubspot_client_id="client-1",
    webhook_public_base_url="http://127.0.0.1:8000/",
)


def test_config_comes_from_settings_and_simulator_variables() -> None:
    environ = {
        "SIMULATOR_BURST_LIMIT": "190",
        "SIMULATOR_ERROR_RATE": "0.25",
        "SIMULATOR_RATE_LIMIT_STORM": "true",
        "SIMULATOR_DEMO_DATA": "1",
        "SIMULATOR_SEED": "42",
        "SIMULATOR_ACCESS_TOKEN": "ignored: credentials come from settings",
        "SIMULATOR_CLIENT_ID": "ignored too",
    }
    config = config_from_env(SETTINGS, environ)

    assert (config.access_token, config.client_secret) == ("token-1", "secret-1")
    assert config.client_id == "client-1"  # the OAuth app the service installs as
    assert config.webhook_target_url == "http://127.0.0.1:8000/webhooks/hubspot"
    assert (config.burst_limit, config.error_rate, config.seed) == (190, 0.25, 42)
    assert config.rate_limit_storm is True and config.load_demo_data is True
    assert config.daily_limit == 250_000


def test_bad_variable_names_the_variable() -> None:
    with pytest.raises(ValueError, match="SIMULATOR_LATENCY_MS"):
        config_from_env(SETTINGS, {"SIMULATOR_LATENCY_MS": "slow"})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_serves_until_sigterm_then_returns_0() -> None:
    port = free_port()
    script = (
        "import sys; from types import SimpleNamespace; from pydantic import SecretStr;"
        "from devstack.hubspot_simulator.server import run;"
        "s = SimpleNamespace(hubspot_access_token=SecretStr('t'),"
        " hubspot_client_secret=SecretStr('s'), hubspot_client_id=None,"
        " webhook_public_base_url=None);"
        f"sys.exit(run('127.0.0.1', {port}, s))"
    )
    env = {**os.environ, "SIMULATOR_DEMO_DATA": "1"}
    process = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/crm/objects/{VERSION}/notes"
        assert poll(lambda: _answers(url), timeout=20)
        notes = requests.get(url, headers={"Authorization": "Bearer t"}, timeout=5).json()
        assert notes["results"]  # SIMULATOR_DEMO_DATA=1 loaded the demo
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 401
    except requests.ConnectionError:
        return False
