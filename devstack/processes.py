"""Child processes that cannot outlive the process that started them."""

from __future__ import annotations

import ctypes
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec (after any uid change, which would reset it):
    # if the parent dies, even by SIGKILL, the kernel sends the child SIGTERM.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(command: Sequence[str], **popen_kwargs: Any) -> subprocess.Popen:
    """Start a child that the kernel stops when this process dies."""
    return subprocess.Popen(list(command), preexec_fn=_die_with_parent, **popen_kwargs)


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    """Ask politely, then insist: a stopped stack leaves nothing running."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``host:port`` now: nothing listens or is bound there.

    SO_REUSEADDR, as servers set it, so connections of a stopped server that linger in
    TIME_WAIT do not count.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def port_is_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(
    ready: Callable[[], bool], timeout: float, what: str, process: subprocess.Popen | None = None
) -> None:
    """Poll ``ready`` until it holds; fail early if the process being waited on died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready")
        time.sleep(0.05)
    raise TimeoutError(f"{what} was not ready after {timeout:.0f}s")


def celery_worker_answers(broker_url: str, name_prefix: str) -> bool:
    """Whether a Celery worker named ``name_prefix@...`` answers a ping through the broker."""
    from celery import Celery

    app = Celery(broker=broker_url, set_as_current=False)
    try:
        replies = app.control.ping(timeout=0.5)
    finally:
        app.close()
    return any(name.startswith(f"{name_prefix}@") for reply in replies for name in reply)
