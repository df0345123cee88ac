"""End to end, webhook to drafts stored, on a stack of real processes.

    .venv/bin/python bench/bench_pipeline.py [--quick]

Starts embedded PostgreSQL and Valkey, the HubSpot simulator (which sends signed webhooks),
the receiver under gunicorn and Celery workers exactly as the Procfile runs them, then:

1. latency: activities created one at a time, 2 per second (each lone activity costs up to three
   HubSpot calls, so faster steady arrivals would run into the portal's rate limit and
   measure the limiter's waiting instead), offline model: p50/p95/p99 from the
   simulator's createdAt to the run's finished_at;
2. burst: many activities created at once, offline model;
3. slow model: every LLM call takes 1 s (LLM_SIMULATED_LATENCY_MS=1000). The Procfile's
   worker (threads pool) against a baseline of ``--pool prefork --concurrency 2``, in the
   same invocation. The baseline gets fewer activities (at 2 calls per second, 500 would
   take minutes); its time for the full count is computed from its measured rate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ as a package

from bench._common import headline
from devstack.demo import DemoRow, new_items, post_items, wait_for_rows
from devstack.postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from devstack.processes import (
    celery_worker_answers,
    free_port,
    port_is_open,
    stop_process,
    wait_until,
)
from devstack.procfile import read_procfile, shell_command
from devstack.redis import EmbeddedRedis
from devstack.stack import simulator_command
from devstack.supervisor import Supervisor
from shared.migrate import run_migrations
from shared.settings import PROJECT_ROOT

BASELINE_WORKER = (
    "celery -A workers.celery_app worker --queues activities --pool prefork "
    "--concurrency 2 --hostname baseline@%h"
)


class BenchStack:
    """Real servers and processes on free loopback ports, all stopped by ``close``."""

    def __init__(self, root: Path) -> None:
        self.supervisor = Supervisor(out=open(root / "processes.log", "w"))  # noqa: SIM115
        self.postgres = EmbeddedPostgres(root / "pg", free_port(), settings=FAST_UNSAFE_SETTINGS)
        self.redis = EmbeddedRedis(root / "redis", free_port(), append_only=False)
        self.web_port, self.simulator_port = free_port(), free_port()
        self.env: dict[str, str] = {}

    def start(self) -> None:
        self.postgres.start()
        self.redis.start()
        database = self.postgres.create_database("bench")
        run_migrations(database, PROJECT_ROOT / "migrations")
        self.env = {
            **os.environ,
            "APP_ENV": "development",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "DATABASE_URL": database,
            "REDIS_URL": self.redis.url(),
            "HUBSPOT_API_BASE": f"http://127.0.0.1:{self.simulator_port}",
            "WEBHOOK_PUBLIC_BASE_URL": f"http://127.0.0.1:{self.web_port}",
            "ENV_FILE": "",  # no dotenv file: not the developer's .devstack/env
            "BIND_HOST": "127.0.0.1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            # A Professional-tier portal, and the client's shared limiter told so.
            "SIMULATOR_BURST_LIMIT": "190",
            "HUBSPOT_BURST_LIMIT": "190",
        }
        self._run("simulator", simulator_command(self.simulator_port), self.simulator_port)
        web = shell_command(read_procfile(PROJECT_ROOT / "Procfile")["web"])
        self._run("web", web, self.web_port)

    def start_worker(self, name: str, command: str, **env: str) -> None:
        self.supervisor.start(name, shell_command(command), {**self.env, **env})
        prefix = command.split("--hostname ")[1].split("@")[0]
        wait_until(
            lambda: celery_worker_answers(self.env["REDIS_URL"], prefix),
            90,
            name,
            self.supervisor.processes[name],
        )

    def stop_worker(self, name: str) -> float:
        """Stops the worker; returns its memory (RSS of the process tree) in MiB first."""
        process = psutil.Process(self.supervisor.processes[name].pid)
        rss = sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
        stop_process(self.supervisor.processes.pop(name), timeout=30)
        return rss / 2**20

    def close(self) -> None:
        self.supervisor.stop_all()
        self.redis.stop()
        self.postgres.stop()

    def _run(self, name: str, command: list[str], port: int) -> None:
        self.supervisor.start(name, command, {**self.env, "PORT": str(port)})
        wait_until(
            lambda: port_is_open("127.0.0.1", port), 60, name, self.supervisor.processes[name]
        )


def send(stack: BenchStack, count: int, spacing: float = 0.0) -> list[DemoRow]:
    """Create ``count`` activities (all at once, or one every ``spacing`` seconds) and wait
    until each has a finished run."""
    simulator = stack.env["HUBSPOT_API_BASE"]
    admin = httpx.Client(base_url=f"{simulator}/_admin", timeout=60)
    items = new_items(admin, simulator, count)
    created: dict = {}
    for item in items if spacing else []:
        created |= post_items(admin, [item])
        time.sleep(spacing)
    created = created or post_items(admin, items)
    rows = wait_for_rows(stack.env["DATABASE_URL"], created, timeout=max(120, count))
    assert len(rows) == count, f"only {len(rows)} of {count} runs finished"
    assert all(row.status == "completed" for row in rows), "some runs did not complete"
    return rows


def percentiles(rows: list[DemoRow]) -> tuple[float, float, float]:
    cuts = statistics.quantiles([row.latency_ms for row in rows], n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(stack: BenchStack, count: int) -> float:
    started = time.monotonic()
    send(stack, count)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args()
    sizes = (10, 40, 60, 10) if args.quick else (60, 200, 500, 40)
    single, burst, slow, baseline_count = sizes
    stack = BenchStack(Path(tempfile.mkdtemp(prefix="bench-pipeline-")))
    worker = read_procfile(PROJECT_ROOT / "Procfile")["worker"]
    try:
        stack.start()
        stack.start_worker("worker", worker)
        send(stack, 5)  # warm-up: first requests open connections and pools
        single_rows = send(stack, single, spacing=0.5)
        burst_rows = send(stack, burst)
        stack.stop_worker("worker")

        slow_env = {"LLM_SIMULATED_LATENCY_MS": "1000"}
        stack.start_worker("worker-slow", worker, **slow_env)
        default_seconds = timed(stack, slow)
        default_mib = stack.stop_worker("worker-slow")
        stack.start_worker("baseline", BASELINE_WORKER, **slow_env)
        baseline_seconds = timed(stack, baseline_count)
        baseline_mib = stack.stop_worker("baseline")
    finally:
        stack.close()
    report(
        single_rows,
        burst_rows,
        slow,
        default_seconds,
        default_mib,
        baseline_count,
        baseline_seconds,
        baseline_mib,
        args.quick,
    )
    return 0


def report(
    single_rows: list[DemoRow],
    burst_rows: list[DemoRow],
    slow: int,
    default_seconds: float,
    default_mib: float,
    baseline_count: int,
    baseline_seconds: float,
    baseline_mib: float,
    quick: bool,
) -> None:
    p50, p95, p99 = percentiles(single_rows)
    b50, b95, b99 = percentiles(burst_rows)
    projected = baseline_seconds / baseline_count * slow
    print("\n## Pipeline (webhook → drafts stored)\n")
    print("| measurement | result | target |")
    print("|---|---|---|")
    print(
        f"| latency, {len(single_rows)} activities at 2/s: p50 / p95 / p99 | "
        f"{p50:.0f} / {p95:.0f} / {p99:.0f} ms | p50 < 300 ms, p99 < 1000 ms |"
    )
    print(
        f"| latency, burst of {len(burst_rows)}: p50 / p95 / p99 | "
        f"{b50:.0f} / {b95:.0f} / {b99:.0f} ms | — |"
    )
    print(
        f"| {slow} activities, 1 s LLM, Procfile worker (threads) | "
        f"{default_seconds:.1f} s ({slow / default_seconds:.1f}/s), {default_mib:.0f} MiB | "
        f"≤ 30 s |"
    )
    print(
        f"| baseline prefork -c 2: {baseline_count} activities | "
        f"{baseline_seconds:.1f} s ({baseline_count / baseline_seconds:.1f}/s), "
        f"{baseline_mib:.0f} MiB; {slow} would take ~{projected:.0f} s | — |"
    )
    print(f"| speed-up over baseline | {projected / default_seconds:.1f}x | — |")
    print(f"\nreproduce: .venv/bin/python bench/bench_pipeline.py{' --quick' if quick else ''}")
    headline(
        "webhook to drafts stored, offline model: p50 / p99",
        f"{p50:.0f} / {p99:.0f} ms",
        "< 300 / < 1,000 ms",
        p50 < 300 and p99 < 1000,
    )
    headline(
        f"{slow} activities with a 1 s LLM (baseline prefork -c 2: ~{projected:.0f} s)",
        f"{default_seconds:.1f} s",
        "<= 30 s",
        default_seconds <= 30,
    )


if __name__ == "__main__":
    sys.exit(main())
