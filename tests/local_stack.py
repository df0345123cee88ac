"""`python -m devstack dev` as a child process, for tests that need the whole local stack."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

from devstack.processes import free_port, wait_until


def stack_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "APP_ENV"}
    env.update(
        APP_ENV="development",
        DEVSTACK_DIR=str(tmp_path / "stack"),
        DEVSTACK_POSTGRES_PORT=str(free_port()),
        DEVSTACK_REDIS_PORT=str(free_port()),
        DEVSTACK_SIMULATOR_PORT=str(free_port()),
    )
    return {**env, **extra}


def start_stack(env: dict[str, str], *args: str) -> subprocess.Popen:
    """The stack's output goes to a file (a pipe nobody reads would fill and stall it)."""
    log = open(Path(env["DEVSTACK_DIR"]).parent / "stack.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack", "dev", *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log_path = log.name
    return process


def stop_stack(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 60) -> str:
    process.send_signal(sig)
    process.wait(timeout)
    return Path(process.log_path).read_text()


def wait_for_env_file(env: dict[str, str], process: subprocess.Popen) -> dict[str, str]:
    env_file = Path(env["DEVSTACK_DIR"]) / "env"
    wait_until(env_file.exists, 90, "the stack's env file", process)
    return dict(line.split("=", 1) for line in env_file.read_text().splitlines())


def finished_runs(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        query = "select count(*) from ai_processing_logs where status = 'completed'"
        return conn.execute(query).fetchone()[0]
