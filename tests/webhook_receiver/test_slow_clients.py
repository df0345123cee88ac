"""The web process as the Procfile runs it, under clients that hold connections open:
slow senders of headers and of bodies, and approval-API calls waiting on a HubSpot that
takes 3 s to answer. HubSpot's deliveries and the health probe must not wait behind them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from devstack.mint import local_user, mint_token
from devstack.processes import free_port, port_is_open, spawn, stop_process, wait_until
from devstack.procfile import read_procfile, shell_command
from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import build_client
from shared.settings import PROJECT_ROOT, get_settings
from tests import webhook_signing as sign
from tests.conftest import TEST_ENVIRONMENT
from tests.slow_clients import PATH, start_slow_clients

pytestmark = pytest.mark.slow

SLOW_CONNECTIONS = 20  # of each kind: headers, bodies
HUBSPOT_LATENCY_MS = 3000


@pytest.fixture
def web(database_url, redis_url, start_simulator, tmp_path) -> Iterator[str]:
    """The Procfile's web process (gunicorn) on a port of its own; its base URL."""
    simulator = start_simulator()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "WEBHOOK_PUBLIC_BASE_URL": base,
        "HUBSPOT_API_BASE": simulator.url,
        "LOG_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = shell_command(read_procfile(PROJECT_ROOT / "Procfile")["web"])
    with open(tmp_path / "web.log", "wb") as log:
        process = spawn(command, env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
    wait_until(lambda: port_is_open("127.0.0.1", port), 30, "gunicorn", process)
    # The account's details are kept in Redis, as the pipeline keeps them in any deployment
    # (the API scopes every rep by their account).
    cache = redis.Redis.from_url(redis_url)
    AccountDirectory(cache, build_client(get_settings(), cache)).details()
    requests.post(
        f"{simulator.url}/_admin/faults", json={"latency_ms": HUBSPOT_LATENCY_MS}, timeout=10
    ).raise_for_status()
    yield base
    stop_process(process)


def waiting_on_hubspot(base: str, headers: dict[str, str], stop: threading.Event, seen: list):
    """Approval-API calls that each wait on HubSpot (the Owners API, then a CRM search)."""
    while not stop.is_set():
        answer = requests.get(f"{base}/api/v1/crm/contacts", headers=headers, timeout=60)
        seen.append(answer.status_code)


def test_slow_clients_and_slow_hubspot_do_not_hold_up_deliveries_or_health(web, database_url):
    port = int(web.rsplit(":", 1)[1])
    stop = threading.Event()
    user = local_user(database_url, "maria.chen@brightlane.example")
    token = mint_token(
        TEST_ENVIRONMENT["SUPABASE_JWT_SECRET"], user, "maria.chen@brightlane.example"
    )
    api_answers: list[int] = []
    start_slow_clients(port, SLOW_CONNECTIONS, stop)
    threads = [
        threading.Thread(
            target=waiting_on_hubspot,
            args=(web, {"Authorization": f"Bearer {token}"}, stop, api_answers),
            daemon=True,
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2.5)  # long enough for the slow clients to hold every sync worker

    deliveries, probes = [], []
    with requests.Session() as session:
        until = time.monotonic() + 6
        event_id = 0
        while time.monotonic() < until:
            events = [
                sign.activity_event(object_id=9000 + n, event_id=event_id + n) for n in range(100)
            ]
            event_id += 100
            body = sign.body_of(events)
            headers = sign.v3_headers(TEST_ENVIRONMENT["HUBSPOT_CLIENT_SECRET"], web + PATH, body)
            started = time.monotonic()
            try:
                status = session.post(web + PATH, data=body, headers=headers, timeout=5).status_code
            except requests.RequestException:
                status = 0
            deliveries.append((status, time.monotonic() - started))
            try:
                probes.append(session.get(f"{web}/healthz", timeout=2).status_code)
            except requests.RequestException:
                probes.append(0)
    stop.set()

    seconds = sorted(s for _, s in deliveries)
    figures = (
        f"{len(deliveries)} deliveries, statuses {sorted({s for s, _ in deliveries})}, "
        f"median {statistics.median(seconds) * 1000:.1f} ms, max {seconds[-1] * 1000:.1f} ms; "
        f"{len(probes)} health probes, statuses {sorted(set(probes))}; "
        f"approval-API calls answered meanwhile {len(api_answers)} {sorted(set(api_answers))}"
    )
    print(f"\n[slow clients] {figures}")
    assert all(status == 200 for status, _ in deliveries), figures
    assert all(status == 200 for status in probes), figures
    assert seconds[-1] < 1.0, figures
    assert api_answers and set(api_answers) == {200}, figures
