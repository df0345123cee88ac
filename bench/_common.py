"""Helpers shared by the benchmarks: a lean HTTP client, gunicorn, CPU accounting, reporting.

Benchmarks run as scripts (``python bench/bench_x.py``) on a small machine where the load
generator shares the cores with the server it measures, so the client here is deliberately
cheaper per request than ``http.client`` or ``requests``.
"""

from __future__ import annotations

import math
import os
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.processes import port_is_open, spawn, stop_process, wait_until
from devstack.procfile import read_procfile

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


class HttpClient:
    """HTTP/1.1 over one socket, kept alive when the server allows it (gunicorn's sync
    workers do not: they answer ``Connection: close``, and the next request reconnects)."""

    def __init__(self, port: int, host: str = LOOPBACK, timeout: float = 10.0) -> None:
        self.address = (host, port)
        self.timeout = timeout
        self.host_header = f"{host}:{port}"
        self._sock: socket.socket | None = None

    def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host_header}"]
        lines += [f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        reused = self._sock is not None
        try:
            return self._exchange(request)
        except ConnectionError:
            self.close()
            if not reused:
                raise
            # The server closed an idle kept-alive connection before reading: safe to resend.
            return self._exchange(request)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _exchange(self, request: bytes) -> tuple[int, bytes]:
        sock = self._sock or self._connect()
        sock.sendall(request)
        head, rest = self._read_head(sock)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in header_lines)
        }
        status = int(status_line.split(" ", 2)[1])
        length = "0" if status in (204, 304) else headers.get("content-length")
        body = self._read_body(sock, rest, length)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def _connect(self) -> socket.socket:
        self._sock = socket.create_connection(self.address, timeout=self.timeout)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._sock

    @staticmethod
    def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed before a response")
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        return head, rest

    @staticmethod
    def _read_body(sock: socket.socket, body: bytes, content_length: str | None) -> bytes:
        # Without a length (a closing response) the body ends where the socket does.
        expected = int(content_length) if content_length is not None else None
        while expected is None or len(body) < expected:
            chunk = sock.recv(65536)
            if not chunk:
                if expected is None:
                    break
                raise ConnectionError("connection closed inside a response body")
            body += chunk
        return body


@dataclass(frozen=True)
class GunicornSettings:
    """The server settings every app in one benchmark run shares: by default the web
    process's own, as the Procfile starts it (``from_procfile``)."""

    workers: int = 2
    worker_class: str = "gevent"
    options: tuple[str, ...] = ()  # further flags, e.g. --keep-alive 5

    @classmethod
    def from_procfile(cls, worker_class: str | None = None) -> GunicornSettings:
        """The Procfile web entry's flags with their defaults filled in; its bind address,
        access log and app are the benchmark's own. ``worker_class`` overrides its class."""
        command = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", read_procfile(ROOT / "Procfile")["web"])
        words = shlex.split(command)[1:-1]  # without "gunicorn" and the app
        flags = dict(zip(words[::2], words[1::2], strict=True))
        for ours in ("--bind", "--access-logfile"):
            flags.pop(ours, None)
        workers = int(flags.pop("--workers", "2"))
        procfile_class = flags.pop("--worker-class", "sync")
        chosen = worker_class or procfile_class
        options = (
            [item for pair in flags.items() for item in pair] if chosen == procfile_class else []
        )
        return cls(workers, chosen, tuple(options))

    def args(self) -> list[str]:
        return [f"--workers={self.workers}", f"--worker-class={self.worker_class}", *self.options]

    def describe(self) -> str:
        return " ".join(
            [f"--workers {self.workers} --worker-class {self.worker_class}", *self.options]
        )


def start_gunicorn(
    app_spec: str,
    port: int,
    settings: GunicornSettings,
    env: Mapping[str, str],
    log_path: Path,
    timeout: float = 30,
) -> subprocess.Popen:
    """gunicorn serving ``app_spec`` on loopback, as a child that dies with this process."""
    command = [sys.executable, "-m", "gunicorn", f"--chdir={ROOT}", f"--bind={LOOPBACK}:{port}"]
    command += [*settings.args(), "--log-level=warning", app_spec]
    with open(log_path, "ab") as log:
        process = spawn(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: port_is_open(LOOPBACK, port), timeout, f"gunicorn {app_spec}", process)
    except BaseException:
        stop_process(process)
        print(f"--- {log_path} ---\n{log_path.read_text()[-4000:]}", file=sys.stderr)
        raise
    return process


def tree_cpu_seconds(root_pids: Sequence[int]) -> float:
    """User + system CPU used so far by these processes and their direct children
    (a gunicorn master and its workers). Read from /proc, so Linux only."""
    roots = set(root_pids)
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(stat.parent.name) in roots or int(fields[1]) in roots:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot, summed over cores; a VM's
    stolen time counts as busy. Read from /proc/stat, so Linux only."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), idle / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of values already sorted ascending."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max in milliseconds."""
    values = sorted(seconds)
    summary = {f"p{q}": percentile(values, q) * 1000 for q in (50, 95, 99)}
    summary["max"] = (values[-1] if values else math.nan) * 1000
    return summary


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def headline(measurement: str, result: str, target: str, met: bool | None = None) -> None:
    """One row of the summary table `make bench` prints last (see bench/summary.py)."""
    verdict = "—" if met is None else ("PASS" if met else "FAIL")
    print(f"SUMMARY | {measurement} | {result} | {target} | {verdict} |")


def stop_workers(processes: list[Any], job_queues: list[Any]) -> None:
    """Idle worker processes leave when told (None on their queue); one still busy (after an
    error) is terminated."""
    for jobs in job_queues:
        jobs.put(None)
    for worker in processes:
        worker.join(timeout=2)
        if worker.is_alive():
            worker.terminate()
            worker.join(timeout=2)
