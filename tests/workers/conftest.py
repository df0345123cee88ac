"""A real Celery worker on the real embedded Redis, and the receiver on a real HTTP port."""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from werkzeug.serving import make_server

from devstack.processes import wait_until
from shared.settings import get_settings
from webhook_receiver import create_app


class AppOnFirstRequest:
    """Builds the app when the first request arrives, so it sees settings the test makes
    after the server started (the simulator's URL, say)."""

    def __init__(self) -> None:
        self.app = None
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            if self.app is None:
                get_settings.cache_clear()
                self.app = create_app()
        return self.app(environ, start_response)


@pytest.fixture
def receiver_url(redis_url, monkeypatch) -> Iterator[str]:
    """The webhook receiver served over HTTP; WEBHOOK_PUBLIC_BASE_URL points at it."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", base)
    get_settings.cache_clear()
    server.app = AppOnFirstRequest()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield base
    server.shutdown()


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator:
    """Starts Celery workers (threads pool) with the test's settings; stops them after."""
    workers: list[subprocess.Popen] = []

    def start(queue: str = "activities", concurrency: int = 4, **env: str) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(workers)}.log", "w")  # noqa: SIM115
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "worker",
            "--queues",
            queue,
            "--pool",
            "threads",
            "--concurrency",
            str(concurrency),
            "--hostname",
            f"test{len(workers)}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ]
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in workers:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def run_counts(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("select status, count(*) from ai_processing_logs group by 1")
        return dict(rows.fetchall())


def wait_for_runs(database_url: str, finished: int, timeout: float = 60) -> dict[str, int]:
    def done() -> bool:
        counts = run_counts(database_url)
        return sum(counts.get(s, 0) for s in ("completed", "failed", "skipped")) >= finished

    wait_until(done, timeout, f"{finished} finished runs")
    return run_counts(database_url)
