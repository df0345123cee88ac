"""A scripted OpenAI-compatible chat server on 127.0.0.1, so litellm's real HTTP path runs.

Each request takes the next scripted reply (the last one repeats) and is recorded, so a
test can count exactly how many calls reached the server and read what they carried.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
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

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque([Reply()])
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        # (requests, seconds): a provider's rate limit, answered with 429 past it.
        self.rate_limit: tuple[int, float] | None = None
        self.refused = 0
        self._answered_at: deque[float] = deque()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        app = Flask(__name__)
        app.post("/v1/chat/completions")(self._complete)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
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

    def _over_the_limit(self) -> bool:
        if self.rate_limit is None:
            return False
        count, seconds = self.rate_limit
        now = time.monotonic()
        while self._answered_at and self._answered_at[0] <= now - seconds:
            self._answered_at.popleft()
        if len(self._answered_at) >= count:
            return True
        self._answered_at.append(now)
        return False

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.02)  # so stop() returns at once

    def _complete(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        with self._lock:
            self.requests.append(request.get_json())
            self.headers.append(dict(request.headers))
            reply = self.replies.popleft() if len(self.replies) > 1 else self.replies[0]
            if self._over_the_limit():
                self.refused += 1
                reply = Reply(status=429, retry_after=1.0)
        if reply.delay_seconds:
            self._stopping.wait(reply.delay_seconds)
        headers = {} if reply.retry_after is None else {"Retry-After": str(reply.retry_after)}
        return reply.body(), reply.status, headers
