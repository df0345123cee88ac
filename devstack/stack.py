"""``python -m devstack dev``: the whole local stack from pip-installed parts, until Ctrl-C.

Starts embedded PostgreSQL and Valkey (unless DATABASE_URL / REDIS_URL name servers to
use instead), applies the migrations, starts the app processes with prefixed output, and
writes ``.devstack/env`` so other commands and tests find everything. Ctrl-C or SIGTERM
stops every process it started.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.mint import local_user, mint_token
from devstack.ports import require_free_ports
from devstack.postgres import EmbeddedPostgres
from devstack.processes import celery_worker_answers, port_is_open, wait_until
from devstack.procfile import read_procfile, shell_command
from devstack.redis import EmbeddedRedis
from devstack.settings import DevstackSettings
from devstack.supervisor import Supervisor
from shared.migrate import run_migrations
from shared.settings import PROJECT_ROOT, Settings, get_settings

DATABASE_NAME = "hubspot_ai"
DEMO_REP = "maria.chen@brightlane.example"  # an owner in the simulator's demo portal
# The variable a Procfile entry reads its port from: PORT, as platforms set it, unless named.
PORT_VARIABLES = {"flower": "FLOWER_PORT"}


@dataclass
class DevStack:
    settings: Settings
    local: DevstackSettings
    supervisor: Supervisor = field(default_factory=Supervisor)
    servers: list[EmbeddedPostgres | EmbeddedRedis] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=lambda: {"APP_ENV": "development"})
    urls: dict[str, str] = field(default_factory=dict)

    def start_infrastructure(self) -> None:
        (self.local.dir / "logs").mkdir(parents=True, exist_ok=True)
        self.env["DATABASE_URL"] = os.environ.get("DATABASE_URL") or self._start_postgres()
        self.env["REDIS_URL"] = os.environ.get("REDIS_URL") or self._start_redis()
        self.urls["PostgreSQL"] = self.env["DATABASE_URL"]
        self.urls["Redis"] = self.env["REDIS_URL"]

    def migrate(self) -> None:
        applied = run_migrations(self.env["DATABASE_URL"], self.settings.migrations_dir)
        self.supervisor.say("migrate", f"{len(applied)} applied {' '.join(applied)}")

    def start_services(self) -> None:
        """The HubSpot simulator, then the Procfile's processes, each once it is listening."""
        local = self.local
        receiver = f"http://127.0.0.1:{local.web_port}"
        self.env["HUBSPOT_API_BASE"] = f"http://127.0.0.1:{local.simulator_port}"
        self.env["WEBHOOK_PUBLIC_BASE_URL"] = receiver
        port = local.simulator_port
        self._start_service("simulator", simulator_command(port), port)
        procfile = read_procfile(PROJECT_ROOT / "Procfile")
        for name, port in (
            ("web", local.web_port),
            ("worker", None),
            ("apply_worker", None),
            ("flower", local.flower_port),
        ):
            self._start_service(name, shell_command(procfile[name]), port)
        self.urls["review page"] = f"{receiver}/review/"
        self.urls["approval API"] = f"{receiver}/api/v1/runs (see /openapi.json)"
        self.urls.update(
            {
                "HubSpot simulator": self.env["HUBSPOT_API_BASE"],
                "webhook receiver": f"{receiver}/webhooks/hubspot",
                "Flower": f"http://127.0.0.1:{local.flower_port}",
            }
        )

    def send_demo_dataset(self) -> None:
        """The demo portal, created as a rep would: every activity reaches us as a webhook."""
        url = f"{self.env['HUBSPOT_API_BASE']}/_admin/fixtures"
        answer = httpx.post(url, json={"demo": True, "emitWebhooks": True}, timeout=30)
        answer.raise_for_status()
        counts = answer.json()
        self.supervisor.say(
            "dev",
            f"demo dataset sent: {counts['activities']} activities, "
            f"{counts['contacts']} contacts, {counts['companies']} companies",
        )

    def write_env_file(self) -> None:
        lines = [f"{name}={value}" for name, value in self.env.items()]
        self.local.env_file.write_text("\n".join(lines) + "\n")

    def print_summary(self) -> None:
        env_file = f"{self.local.env_file} (to run hubspot-ai commands against the stack)"
        listing = {**self.urls, "ENV_FILE": env_file}
        width = max(len(name) for name in listing)
        self.supervisor.say("dev", "local stack is up (Ctrl-C stops everything)")
        for name, url in listing.items():
            self.supervisor.say("dev", f"  {name:<{width}}  {url}")
        if "approval API" in self.urls:
            self.supervisor.say("dev", f"a token for {DEMO_REP} (demo owner Maria Chen):")
            self.supervisor.say("dev", f"  {self._dev_token()}")

    def _dev_token(self) -> str:
        secret = self.settings.supabase_jwt_secret
        user_id = local_user(self.env["DATABASE_URL"], DEMO_REP)
        return mint_token(secret.get_secret_value() if secret else "", user_id, DEMO_REP)

    def wait(self, stop: threading.Event) -> int:
        """Serve until asked to stop (0) or until a process dies on its own (1)."""
        while not stop.wait(0.2):
            exited = self.supervisor.first_exited() or self._server_exited()
            if exited:
                self.supervisor.say("dev", f"{exited[0]} exited with code {exited[1]}; stopping")
                return 1
        return 0

    def stop(self) -> None:
        self.supervisor.stop_all()
        for server in reversed(self.servers):
            server.stop()
        self.local.env_file.unlink(missing_ok=True)

    def _start_postgres(self) -> str:
        port = self.local.postgres_port
        server = EmbeddedPostgres(self.local.dir / "postgres", port)
        self.servers.append(server)
        server.start(log_file=self.local.dir / "logs" / "postgres.log")
        if not server.database_exists(DATABASE_NAME):
            server.create_database(DATABASE_NAME)
        return server.url(DATABASE_NAME)

    def _start_redis(self) -> str:
        port = self.local.redis_port
        server = EmbeddedRedis(self.local.dir / "redis", port)
        self.servers.append(server)
        server.start(log_file=self.local.dir / "logs" / "redis.log")
        return server.url()

    def _start_service(self, name: str, command: list[str], port: int | None) -> None:
        env = {
            **os.environ,
            **self.env,
            "PYTHONUNBUFFERED": "1",
            "BIND_HOST": "127.0.0.1",
            "SIMULATOR_FIRST_OBJECT_ID": str(int(time.time() * 1000)),
        }
        # The Procfile names console scripts (gunicorn, celery) installed beside this Python.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        if port is not None:
            env[PORT_VARIABLES.get(name, "PORT")] = str(port)
        self.supervisor.start(name, command, env)
        process = self.supervisor.processes[name]
        if port is not None:
            wait_until(lambda: port_is_open("127.0.0.1", port), 60, name, process)
        else:  # a Celery worker listens on no port: it answers a ping when it is ready
            broker = self.env["REDIS_URL"]
            node = command[-1].split("--hostname ")[1].split("@")[0]
            wait_until(lambda: celery_worker_answers(broker, node), 60, name, process)

    def _server_exited(self) -> tuple[str, int] | None:
        for server in self.servers:
            if server.process is not None and server.process.poll() is not None:
                return type(server).__name__, server.process.returncode
        return None


def simulator_command(port: int) -> list[str]:
    return [sys.executable, "-m", "devstack", "simulator", "--port", str(port)]


def run_dev_stack(only_infra: bool = False, load_demo: bool = True) -> int:
    local = DevstackSettings()
    # Before anything starts, and outside the try: stopping a stack that never started would
    # remove the env file of the one holding the ports.
    require_free_ports(local, only_infra)
    stop = _stop_event_on_signals()
    stack = DevStack(get_settings(), local)
    try:
        stack.start_infrastructure()
        stack.migrate()
        if not only_infra:
            stack.start_services()
            if load_demo:
                stack.send_demo_dataset()
        stack.write_env_file()
        stack.print_summary()
        return stack.wait(stop)
    finally:
        stack.stop()
        stack.supervisor.say("dev", "stopped")


def _stop_event_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop
