"""The web process as the Procfile runs it, held by hostile and slow clients: signed 100-event
deliveries and health probes while 20 connections send headers a byte a second, 20 send bodies
a byte a second, and approval-API calls wait on a HubSpot that takes 3 s to answer. The
baseline is the same deliveries and probes with nothing else going on, in the same run.

    .venv/bin/python bench/bench_slow_clients.py             # about 40 s
    .venv/bin/python bench/bench_slow_clients.py --quick     # about 25 s
    .venv/bin/python bench/bench_slow_clients.py --worker-class sync   # what it was

Everything on loopback: embedded Valkey and PostgreSQL, the HubSpot simulator, gunicorn.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/, tests/ as packages

import requests

from bench._common import (
    GunicornSettings,
    headline,
    latency_summary,
    markdown_table,
    start_gunicorn,
)
from devstack.hubspot_simulator import SimulatorConfig, start_in_thread
from devstack.mint import local_user, mint_token
from devstack.postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from devstack.processes import free_port, stop_process
from devstack.redis import EmbeddedRedis
from shared.migrate import run_migrations
from shared.settings import PROJECT_ROOT
from tests import webhook_signing as sign
from tests.slow_clients import PATH, start_slow_clients

SECRET = "bench-client-secret"
JWT_SECRET = "bench-jwt-secret-that-is-long-enough-000000000"
TOKEN = "bench-access-token"
REP = "maria.chen@brightlane.example"
SLOW_CONNECTIONS = 20  # of each kind
API_CALLERS = 8
HUBSPOT_LATENCY_MS = 3000
P99_TARGET_MS = 100.0
FULL = {"seconds": 15.0, "settle": 3.0}
QUICK = {"seconds": 6.0, "settle": 2.5}


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    failed_deliveries: int = 0
    probes: int = 0
    failed_probes: int = 0
    api_answers: list[int] = field(default_factory=list)


def deliver_and_probe(base: str, seconds: float, phase: Phase) -> None:
    """Signed 100-event deliveries one after another, a health probe after each."""
    event_id = 0
    with requests.Session() as session:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            events = [
                sign.activity_event(object_id=9000 + n, event_id=event_id + n) for n in range(100)
            ]
            event_id += 100
            body = sign.body_of(events)
            headers = sign.v3_headers(SECRET, base + PATH, body)
            started = time.perf_counter()
            try:
                ok = session.post(base + PATH, data=body, headers=headers, timeout=5).ok
            except requests.RequestException:
                ok = False
            phase.latencies.append(time.perf_counter() - started)
            phase.failed_deliveries += not ok
            phase.probes += 1
            try:
                phase.failed_probes += not session.get(f"{base}/healthz", timeout=2).ok
            except requests.RequestException:
                phase.failed_probes += 1


def call_api_while(base: str, token: str, stop: threading.Event, phase: Phase) -> None:
    """Approval-API calls that each wait on HubSpot (the Owners API, then a CRM search)."""
    headers = {"Authorization": f"Bearer {token}"}
    while not stop.is_set():
        try:
            status = requests.get(f"{base}/api/v1/crm/contacts", headers=headers, timeout=60)
            phase.api_answers.append(status.status_code)
        except requests.RequestException:
            phase.api_answers.append(0)


def under_attack(base: str, port: int, token: str, options: argparse.Namespace) -> Phase:
    phase, stop = Phase(), threading.Event()
    start_slow_clients(port, SLOW_CONNECTIONS, stop)
    callers = [
        threading.Thread(target=call_api_while, args=(base, token, stop, phase), daemon=True)
        for _ in range(API_CALLERS)
    ]
    for caller in callers:
        caller.start()
    time.sleep(options.settle)  # long enough for slow clients to hold every sync worker
    deliver_and_probe(base, options.seconds, phase)
    stop.set()
    return phase


def report(quiet: Phase, attacked: Phase, options: argparse.Namespace, command: str) -> str:
    q, a = latency_summary(quiet.latencies), latency_summary(attacked.latencies)
    rows = [
        [f"delivery latency {key}, ms", f"{a[key]:.1f}", f"{q[key]:.1f}", f"{a[key] / q[key]:.2f}x"]
        for key in ("p50", "p95", "p99", "max")
    ]
    rows += [
        ["deliveries answered 200", _share(attacked), _share(quiet), ""],
        ["health probes answered", _probes(attacked), _probes(quiet), ""],
        ["approval-API calls answered meanwhile", _api(attacked), "", ""],
    ]
    table = markdown_table(["metric", "under attack", "quiet", "ratio"], rows)
    setup = (
        f"gunicorn `{options.gunicorn.describe()}`. Under attack: {SLOW_CONNECTIONS} slow-header "
        f"and {SLOW_CONNECTIONS} slow-body connections (a byte a second), {API_CALLERS} "
        f"approval-API callers against a HubSpot answering in {HUBSPOT_LATENCY_MS / 1000:g} s; "
        f"measured after {options.settle:g} s, for {options.seconds:g} s. Quiet: the same "
        f"deliveries and probes alone."
    )
    return "\n\n".join(["## Slow clients benchmark", setup, table, f"Reproduce: `{command}`"])


def _share(phase: Phase) -> str:
    return f"{len(phase.latencies) - phase.failed_deliveries} of {len(phase.latencies)}"


def _api(phase: Phase) -> str:
    statuses = sorted(set(phase.api_answers))
    return f"{len(phase.api_answers)} (status {', '.join(map(str, statuses))})"


def _probes(phase: Phase) -> str:
    return f"{phase.probes - phase.failed_probes} of {phase.probes}"


def run(options: argparse.Namespace, root: Path) -> tuple[Phase, Phase]:
    postgres = EmbeddedPostgres(root / "pg", free_port(), settings=FAST_UNSAFE_SETTINGS)
    broker = EmbeddedRedis(root / "redis", free_port(), append_only=False)
    simulator = web = None
    try:
        postgres.start()
        broker.start()
        database = postgres.create_database("bench")
        run_migrations(database, PROJECT_ROOT / "migrations")
        simulator = start_in_thread(
            SimulatorConfig(
                access_token=TOKEN,
                client_secret=SECRET,
                app_id=1,
                portal_id=2,
                burst_limit=1000,
                load_demo_data=True,  # the rep's HubSpot owner and contacts
            )
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "APP_ENV": "production",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": database,
            "REDIS_URL": broker.url(),
            "HUBSPOT_API_BASE": simulator.url,
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "HUBSPOT_CLIENT_SECRET": SECRET,
            "HUBSPOT_BURST_LIMIT": "1000",
            "SUPABASE_JWT_SECRET": JWT_SECRET,
            "WEBHOOK_PUBLIC_BASE_URL": base,
            "LLM_MODEL": "local/heuristic",
        }
        web = start_gunicorn(
            "webhook_receiver:create_app()", port, options.gunicorn, env, root / "web.log"
        )
        token = mint_token(JWT_SECRET, local_user(database, REP), REP)
        quiet = Phase()
        deliver_and_probe(base, 1.0, Phase())  # warm-up
        deliver_and_probe(base, options.seconds, quiet)
        requests.post(
            f"{simulator.url}/_admin/faults", json={"latency_ms": HUBSPOT_LATENCY_MS}, timeout=10
        ).raise_for_status()
        return quiet, under_attack(base, port, token, options)
    finally:
        if web is not None:
            stop_process(web)
        if simulator is not None:
            simulator.stop()
        broker.stop()
        postgres.stop()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--worker-class", choices=["gevent", "sync"], help="default: the Procfile's"
    )
    options = parser.parse_args(argv)
    for name, value in (QUICK if options.quick else FULL).items():
        setattr(options, name, value)
    options.gunicorn = GunicornSettings.from_procfile(options.worker_class)
    with tempfile.TemporaryDirectory(prefix="bench-slow-clients-") as root:
        quiet, attacked = run(options, Path(root))
    command = shlex.join([".venv/bin/python", "bench/bench_slow_clients.py", *argv])
    print(report(quiet, attacked, options, command))
    p99 = latency_summary(attacked.latencies)["p99"]
    all_answered = not attacked.failed_probes and not attacked.failed_deliveries
    headline(
        "web process under 40 slow clients and slow-HubSpot API calls: 100-event delivery p99",
        f"{p99:.1f} ms ({p99 / latency_summary(quiet.latencies)['p99']:.2f}x quiet)",
        f"< {P99_TARGET_MS:g} ms",
        p99 < P99_TARGET_MS,
    )
    headline(
        "web process under the same: deliveries and health probes answered",
        f"{_share(attacked)}; {_probes(attacked)}",
        "all",
        all_answered,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
