"""`python -m devstack dev` for real: it brings the stack up and leaves nothing behind."""

import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg
import pytest
import redis

from devstack.processes import free_port, wait_until
from tests.local_stack import (
    finished_runs,
    stack_env,
    start_stack,
    stop_stack,
    wait_for_env_file,
)

pytestmark = pytest.mark.slow


def descendants(process: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(process.pid).children(recursive=True)


def all_gone(processes: list[psutil.Process]) -> bool:
    return not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in processes)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_infrastructure_comes_up_and_stops_without_leftovers(tmp_path, stop_signal):
    env = stack_env(tmp_path)
    process = start_stack(env, "--infra-only")
    try:
        urls = wait_for_env_file(env, process)
        children = descendants(process)

        with psycopg.connect(urls["DATABASE_URL"]) as conn:
            tables = conn.execute("select count(*) from pg_tables where schemaname = 'public'")
            assert tables.fetchone()[0] >= 5
        assert redis.Redis.from_url(urls["REDIS_URL"], socket_timeout=5).ping()
        assert len(children) >= 2

        output = stop_stack(process, stop_signal)
    finally:
        process.kill()

    assert process.returncode == 0, output
    assert "001_initial_schema.sql" in output.split("migrate  |")[1].splitlines()[0]
    wait_until(lambda: all_gone(children), 10, "the stack's children to exit")
    assert not (Path(env["DEVSTACK_DIR"]) / "env").exists()


def test_children_die_with_a_killed_stack(tmp_path):
    env = stack_env(tmp_path)
    process = start_stack(env, "--infra-only")
    try:
        wait_for_env_file(env, process)
        children = descendants(process)
        process.kill()
        process.wait(10)
    finally:
        process.kill()

    wait_until(lambda: all_gone(children), 20, "orphaned servers to exit")


def test_given_servers_are_used_instead_of_embedded_ones(tmp_path, database_url, redis_url):
    env = stack_env(tmp_path, DATABASE_URL=database_url, REDIS_URL=redis_url)
    process = start_stack(env, "--infra-only")
    try:
        urls = wait_for_env_file(env, process)
        children = descendants(process)
        output = stop_stack(process)
    finally:
        process.kill()

    assert urls["DATABASE_URL"] == database_url
    assert urls["REDIS_URL"] == redis_url
    assert children == []
    assert "migrate  | 0 applied" in output


def test_busy_ports_are_all_named_before_anything_starts(tmp_path):
    with socket.socket() as listening, socket.socket() as bound:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        bound.bind(("127.0.0.1", 0))  # bound, not listening: a server still could not bind
        redis_port, flower_port = listening.getsockname()[1], bound.getsockname()[1]
        env = stack_env(
            tmp_path,
            DEVSTACK_REDIS_PORT=str(redis_port),
            DEVSTACK_WEB_PORT=str(free_port()),
            DEVSTACK_FLOWER_PORT=str(flower_port),
        )
        result = subprocess.run(
            [sys.executable, "-m", "devstack", "dev"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )

    assert result.returncode != 0
    message = result.stderr.strip().splitlines()
    assert message[-2:] == [
        f"  port {redis_port} is already in use (Redis): set DEVSTACK_REDIS_PORT to another port",
        f"  port {flower_port} is already in use (Flower): "
        "set DEVSTACK_FLOWER_PORT to another port",
    ]
    assert not Path(env["DEVSTACK_DIR"]).exists(), "something started"


def test_the_whole_stack_processes_the_demo_and_runs_the_demo_command(tmp_path):
    env = stack_env(
        tmp_path, DEVSTACK_WEB_PORT=str(free_port()), DEVSTACK_FLOWER_PORT=str(free_port())
    )
    process = start_stack(env)
    try:
        urls = wait_for_env_file(env, process)
        children = descendants(process)
        wait_until(lambda: finished_runs(urls["DATABASE_URL"]) >= 30, 90, "the demo dataset")
        demo = subprocess.run(
            [sys.executable, "-m", "devstack", "demo", "--activities", "6"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = stop_stack(process)
    finally:
        process.kill()

    assert demo.returncode == 0, demo.stdout + demo.stderr
    summary = demo.stdout.strip().splitlines()[-1]
    assert summary.startswith("processed 6/6: 6 completed, 0 failed, 0 skipped; drafts ")
    assert "; recommendations 6; p50 " in summary and summary.endswith(" ms")
    assert "demo dataset sent: 30 activities" in output
    assert process.returncode == 0
    wait_until(lambda: all_gone(children), 20, "the stack's children to exit")
