"""Runs the stack's app processes with prefixed output and stops them all together."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from devstack.processes import spawn, stop_process


@dataclass
class Supervisor:
    out: TextIO = sys.stdout
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _print_lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, name: str, command: Sequence[str], env: dict[str, str]) -> None:
        process = spawn(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.processes[name] = process
        threading.Thread(target=self._relay, args=(name, process), daemon=True).start()

    def say(self, name: str, line: str) -> None:
        width = max([len(n) for n in self.processes] + [len(name), 8])
        with self._print_lock:
            print(f"{name:<{width}} | {line.rstrip()}", file=self.out, flush=True)

    def first_exited(self) -> tuple[str, int] | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name, process.returncode
        return None

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            stop_process(self.processes[name])

    def _relay(self, name: str, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        for raw in iter(process.stdout.readline, b""):
            self.say(name, raw.decode("utf-8", errors="replace"))
