"""Increasing integer ids that several owners draw from without ever repeating one."""

from __future__ import annotations

import itertools
import threading


class IdSequence:
    """Thread-safe integers from `first`, e.g. object ids shared by every account's store."""

    def __init__(self, first: int = 1) -> None:
        self._first = first
        self._lock = threading.Lock()
        self.reset()

    def next(self) -> int:
        with self._lock:
            return next(self._ids)

    def reset(self) -> None:
        with self._lock:
            self._ids = itertools.count(self._first)
