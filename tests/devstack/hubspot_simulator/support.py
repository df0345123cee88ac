"""Helpers for the simulator tests: HubSpot's own SDK pointed at a simulator, the admin API
over HTTP, installing the app into an account over OAuth, a recording webhook receiver, and
polling with a deadline."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import hubspot_sdk
import pytest
import requests
from flask import Response, request
from werkzeug.serving import WSGIRequestHandler

from devstack.hubspot_simulator import SimulatorConfig, SimulatorHandle

ACCESS_TOKEN = "test-access-token"
CLIENT_SECRET = "test-client-secret"
CLIENT_ID = "test-client-id"
REDIRECT_URI = "https://app.example.com/oauth/callback"
APP_ID, PORTAL_ID = 4242, 9001
OWNER_ID = "71999999"
# The version the SDK speaks; tests that send requests by hand use it in their paths.
VERSION = "2026-03"
AUTH = {"Authorization": f"Bearer {ACCESS_TOKEN}"}

# Fast webhook timings so retries and coalescing finish within milliseconds.
BASE_CONFIG = SimulatorConfig(
    access_token=ACCESS_TOKEN,
    client_secret=CLIENT_SECRET,
    client_id=CLIENT_ID,
    app_id=APP_ID,
    portal_id=PORTAL_ID,
    webhook_retry_delay_seconds=0.01,
    webhook_retry_max_delay_seconds=0.05,
    webhook_flush_interval_seconds=0.02,
    webhook_timeout_seconds=2.0,
    seed=1234,
)


def hubspot_client(url: str, access_token: str = ACCESS_TOKEN) -> hubspot_sdk.HubSpot:
    """HubSpot's date-versioned SDK, pointed at the simulator, checking every answer.

    Strict response validation makes each call a contract test: an answer that does not
    match the SDK's own schema for the version raises APIResponseValidationError.
    max_retries=0: tests count requests, so the client must not repeat any.
    """
    return hubspot_sdk.HubSpot(
        access_token=access_token,
        base_url=url,
        max_retries=0,
        _strict_response_validation=True,
    )


def poll(predicate: Callable[[], Any], timeout: float) -> bool:
    """Whether `predicate()` becomes truthy within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return bool(predicate())


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0) -> None:
    """Poll until `predicate()` is truthy, or fail the test."""
    if not poll(predicate, timeout):
        pytest.fail(f"condition not met within {timeout}s")


def api_error(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """Status and parsed JSON body of the APIStatusError an SDK call raises."""
    try:
        call(*args, **kwargs)
    except hubspot_sdk.APIStatusError as exc:
        assert isinstance(exc.body, dict), f"error answer is not a JSON object: {exc.body!r}"
        return exc.status_code, exc.body
    pytest.fail("expected the call to fail")


def authorize(url: str, **params: Any) -> requests.Response:
    """The user's "Connect app" click: the simulator's answer, not followed."""
    query = {"client_id": CLIENT_ID, "scope": "oauth", "redirect_uri": REDIRECT_URI, **params}
    return requests.get(f"{url}/oauth/authorize", params=query, allow_redirects=False, timeout=10)


def token_request(url: str, **form: Any) -> requests.Response:
    """POST /oauth/v1/token with the app's credentials and the given fields."""
    form = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form}
    return requests.post(f"{url}/oauth/v1/token", data=form, timeout=10)


def install(url: str, **params: Any) -> dict[str, Any]:
    """Install the app into an account (`portalId=` names one) and answer its tokens."""
    answer = authorize(url, **params)
    assert answer.status_code == 302, answer.text
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    tokens = token_request(
        url, grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI
    )
    assert tokens.status_code == 200, tokens.text
    return tokens.json()


def app_token(url: str, scope: str = "developer.webhooks_journal.read") -> str:
    """The app's own client-credentials token, as the webhooks journal wants it."""
    answer = token_request(url, grant_type="client_credentials", scope=scope)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


class Admin:
    """The simulator's admin API, over HTTP as the dev stack uses it."""

    def __init__(self, url: str) -> None:
        self.url = f"{url}/_admin"

    def get(self, path: str, **params: Any) -> Any:
        response = requests.get(f"{self.url}{path}", params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: Any = None, expect: int | None = None) -> Any:
        response = requests.post(f"{self.url}{path}", json=body, timeout=30)
        if expect is not None:
            assert response.status_code == expect, response.text
        else:
            response.raise_for_status()
        return response.json()

    def flush(self) -> None:
        assert self.post("/webhooks/flush", {"timeoutSeconds": 10})["flushed"] is True

    def add_test_owner(self) -> None:
        body = {"owners": [{"id": OWNER_ID, "email": "rep@example.com", "userId": 1}]}
        self.post("/fixtures", body)


@dataclass
class Running:
    """A started simulator with the ways tests talk to it."""

    handle: SimulatorHandle
    admin: Admin
    client: hubspot_sdk.HubSpot

    @property
    def url(self) -> str:
        return self.handle.url


@dataclass
class Received:
    """One POST the receiver got, exactly as it arrived."""

    url: str
    headers: dict[str, str]
    body: str
    status: int

    @property
    def events(self) -> list[dict[str, Any]]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook endpoint; answers statuses from `script` in order, then 200."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    # The next `hold` requests wait for `release` before answering (timeouts, concurrency).
    hold: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[dict[str, Any]]:
        """Events of the POSTs it answered with 200."""
        with self.lock:
            posts = [post for post in self.received if post.status == 200]
        return [event for post in posts for event in post.events]

    def handle(self) -> Response:
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            held, self.hold = self.hold > 0, max(self.hold - 1, 0)
        if held:
            self.release.wait(timeout=5)
        with self.lock:
            status = self.script.pop(0) if self.script else 200
            body = request.get_data(as_text=True)
            self.received.append(Received(request.url, dict(request.headers), body, status))
            self.in_flight -= 1
        return Response(status=status)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log lines in test output."""
