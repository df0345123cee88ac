"""Session-wide real servers (embedded PostgreSQL and Valkey) and per-test isolation.

Postgres: the migrations are applied once to a template database; a test either works in
a transaction that is rolled back (``db``) or gets its own copy of the template
(``database_url``) when other processes must see its commits. Redis: one server, flushed
before each test that asks for it.
"""

from __future__ import annotations

import itertools
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import psycopg
import pytest
import redis

from devstack.postgres import FAST_UNSAFE_SETTINGS, EmbeddedPostgres
from devstack.processes import free_port
from devstack.redis import EmbeddedRedis
from shared.migrate import run_migrations
from shared.pipeline.runtime import Runtime, build_runtime
from shared.settings import PROJECT_ROOT, get_settings

TEMPLATE_DATABASE = "hubspot_ai_template"
SHARED_TEST_DATABASE = "hubspot_ai_test"

# Settings every test starts from: a complete non-development configuration.
TEST_ENVIRONMENT = {
    "APP_ENV": "test",
    "HUBSPOT_CLIENT_SECRET": "test-client-secret-5f1c",
    "HUBSPOT_ACCESS_TOKEN": "test-access-token-9a7e",
    "SUPABASE_JWT_SECRET": "test-jwt-secret-with-enough-length-0123456789",
    "WEBHOOK_PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    "LLM_MODEL": "local/heuristic",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
}
_database_numbers = itertools.count()
PORTAL_ID = 62515  # the HubSpot account of the suite's simulator, and of the rows tests store


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    folder = tmp_path_factory.mktemp("postgres")
    server = EmbeddedPostgres(folder / "data", free_port(), settings=FAST_UNSAFE_SETTINGS)
    server.start(log_file=folder / "postgres.log")  # read it when a test loses the server
    yield server
    server.stop()


@pytest.fixture(scope="session")
def template_database(postgres: EmbeddedPostgres) -> str:
    run_migrations(postgres.create_database(TEMPLATE_DATABASE), PROJECT_ROOT / "migrations")
    postgres.create_database(SHARED_TEST_DATABASE, template=TEMPLATE_DATABASE)
    return TEMPLATE_DATABASE


@pytest.fixture
def database_url(
    postgres: EmbeddedPostgres, template_database: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A freshly migrated database of this test's own (also as DATABASE_URL), dropped after."""
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    url = postgres.create_database(name, template=template_database)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(postgres: EmbeddedPostgres, template_database: str) -> Iterator[psycopg.Connection]:
    """A connection to the shared migrated database inside a transaction that is rolled back."""
    with psycopg.connect(postgres.url(SHARED_TEST_DATABASE)) as conn:
        yield conn
        conn.rollback()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), free_port(), append_only=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: EmbeddedRedis, monkeypatch: pytest.MonkeyPatch) -> str:
    """A clean Redis (also as REDIS_URL)."""
    redis.Redis.from_url(redis_server.url(), socket_timeout=5).flushall()
    monkeypatch.setenv("REDIS_URL", redis_server.url())
    get_settings.cache_clear()
    return redis_server.url()


@pytest.fixture(autouse=True)
def test_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts from the same complete settings, never from the developer's shell."""
    for name in list(os.environ):
        if name.startswith(("HUBSPOT_", "SUPABASE_", "DATABASE_", "REDIS_", "WEBHOOK_", "LLM_")):
            monkeypatch.delenv(name)
    for name, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/unused")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk only to this machine: any other address fails loudly."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not _is_loopback(str(host)):
            raise ConnectionRefusedError(f"tests may not reach {host}")
        real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


def _is_loopback(host: str) -> bool:
    return host.startswith("127.") or host in ("::1", "localhost")


@pytest.fixture
def start_simulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Starts HubSpot simulators with the demo portal, speaking the suite's token and secret;
    the last one started is HUBSPOT_API_BASE. All are stopped after the test."""
    from devstack.hubspot_simulator import SimulatorConfig, start_in_thread

    handles = []

    def start(**overrides: Any) -> Any:
        handle = start_in_thread(replace(_simulator_config(SimulatorConfig), **overrides))
        handles.append(handle)
        monkeypatch.setenv("HUBSPOT_API_BASE", handle.url)
        get_settings.cache_clear()
        return handle

    yield start
    for handle in handles:
        handle.stop()


@pytest.fixture
def simulator(start_simulator: Any) -> Any:
    return start_simulator()


def _simulator_config(config_class: Any) -> Any:
    return config_class(
        access_token=TEST_ENVIRONMENT["HUBSPOT_ACCESS_TOKEN"],
        client_secret=TEST_ENVIRONMENT["HUBSPOT_CLIENT_SECRET"],
        app_id=4242,
        portal_id=PORTAL_ID,
        load_demo_data=True,
        seed=7,
        webhook_retry_delay_seconds=0.01,
        webhook_retry_max_delay_seconds=0.05,
        webhook_flush_interval_seconds=0.02,
    )


@dataclass
class RecordingDispatcher:
    """Stands in for Celery's send_task: the tests run each task function themselves."""

    sent: list[tuple[str, list[Any], str, float | None]] = field(default_factory=list)

    def __call__(
        self, task_name: str, args: list[Any], queue: str, countdown: float | None = None
    ) -> None:
        self.sent.append((task_name, args, queue, countdown))

    def named(self, task_name: str) -> list[list[Any]]:
        return [args for name, args, _, _ in self.sent if name == task_name]


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
def runtime(database_url, redis_url, simulator, dispatcher) -> Runtime:
    rt = build_runtime(get_settings(), dispatcher)
    rt.hubspot.backoff_initial = 0.01
    yield rt
    rt.store.close()
