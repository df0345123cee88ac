"""A scripted OpenAI-compatible chat server on 127.0.0.1, so litellm's real HTTP path runs.

Each request takes the next scripted reply (the last one repeats) and is recorded, so a
test can count exactly how many calls reached the server and read what they carried. Given
a rate limit it refuses what goes over a rolling window with 429 and a ``Retry-After`` of
the time until the window has room, as a provider's requests-per-minute limit does.

Tests start it in a thread (``FakeOpenAI().start()``); benchmarks run it as a process,
``python -m devstack.fake_openai --port N --rate-limit 600 --window-seconds 60``, and drive
it over ``/_admin/script``, ``/_admin/reset`` and ``/_admin/stats``. Times are
``time.monotonic()``, the same clock in every process on the machine.
"""

from __future__ import annotations

import argparse
import logging
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask, request
from werkzeug.serving import make_server

USAGE = {"prompt_tokens": 123, "completion_tokens": 45, "total_tokens": 168}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    content: str = ""
    delay_seconds: float = 0.0  # a slow provider; cut short when the server stops
    model: str = "test-model"
    error: str = ""  # the error's message, as a provider words it
    retry_after: float | None = None  # seconds, sent as Retry-After

    def body(self) -> dict[str, Any]:
        if self.status != 200:
            message = self.error or f"scripted {self.status}"
            return {"error": {"message": message, "type": "scripted_error"}}
        message = {"role": "assistant", "content": self.content}
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_772_636_400,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": USAGE,
        }


class FakeOpenAI:
    """The server; ``script`` what it answers, then read ``requests``."""

    def __init__(self, port: int = 0) -> None:
        self.replies: deque[Reply] = deque([Reply()])
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        # (requests, seconds): a provider's rate limit, answered with 429 past it.
        self.rate_limit: tuple[int, float] | None = None
        self.refused = 0
        self.admitted_at: list[float] = []  # CLOCK_MONOTONIC, comparable across processes
        self._answered_at: deque[float] = deque()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        app = Flask(__name__)
        app.post("/v1/chat/completions")(self._complete)
        app.post("/_admin/script")(self._admin_script)
        app.post("/_admin/reset")(self._admin_reset)
        app.get("/_admin/stats")(self._admin_stats)
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    def script(self, *replies: Reply) -> None:
        self.replies = deque(replies)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers still "thinking" before we wait for them
        self._server.shutdown()
        self._server.server_close()

    def _wait_for_room(self) -> float:
        """0 when this request fits the rolling window (and is counted), else the seconds
        until the oldest request counted leaves it."""
        if self.rate_limit is None:
            return 0.0
        count, seconds = self.rate_limit
        now = time.monotonic()
        while self._answered_at and self._answered_at[0] <= now - seconds:
            self._answered_at.popleft()
        if len(self._answered_at) >= count:
            return max(0.001, self._answered_at[0] + seconds - now)
        self._answered_at.append(now)
        return 0.0

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.02)  # so stop() returns at once

    def _complete(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        with self._lock:
            self.requests.append(request.get_json())
            self.headers.append(dict(request.headers))
            reply = self.replies.popleft() if len(self.replies) > 1 else self.replies[0]
            wait = self._wait_for_room()
            if wait:
                self.refused += 1
                reply = Reply(status=429, error="Rate limit reached", retry_after=round(wait, 3))
            else:
                self.admitted_at.append(time.monotonic())
        if reply.delay_seconds:
            self._stopping.wait(reply.delay_seconds)
        headers = {} if reply.retry_after is None else {"Retry-After": str(reply.retry_after)}
        return reply.body(), reply.status, headers

    def _admin_script(self) -> dict[str, Any]:
        self.script(*(Reply(**fields) for fields in request.get_json()["replies"]))
        return {"replies": [asdict(reply) for reply in self.replies]}

    def _admin_reset(self) -> dict[str, Any]:
        """Forget the requests, the refusals and the rate window; keep the script."""
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self._answered_at.clear()
            self.admitted_at.clear()
            self.refused = 0
        return self._admin_stats()

    def _admin_stats(self) -> dict[str, Any]:
        """Requests and refusals; with ``?times=1``, when each admitted request arrived."""
        stats: dict[str, Any] = {"requests": len(self.requests), "refused": self.refused}
        if request.args.get("times"):
            stats["admitted_at"] = self.admitted_at
        return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A scripted OpenAI-compatible chat server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate-limit", type=int, help="requests per rolling window")
    parser.add_argument("--window-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = FakeOpenAI(args.port)
    if args.rate_limit:
        server.rate_limit = (args.rate_limit, args.window_seconds)
    print(f"fake OpenAI-compatible server on {server.api_base}", flush=True)
    server._serve()


if __name__ == "__main__":
    main()
