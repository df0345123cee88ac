"""Fixtures: a real simulator on a loopback port, HubSpot's date-versioned SDK pointed at it
(validating every answer against its schema), and a small webhook receiver that records what
the simulator POSTs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from devstack.hubspot_simulator import SimulatorHandle, start_in_thread
from tests.devstack.hubspot_simulator.support import (
    BASE_CONFIG,
    Admin,
    QuietHandler,
    Receiver,
    Running,
    hubspot_client,
)


@pytest.fixture
def start_simulator() -> Iterator[Callable[..., Running]]:
    """Start simulators with config overrides; all are stopped after the test."""
    handles: list[SimulatorHandle] = []

    def start(**overrides: Any) -> Running:
        handle = start_in_thread(replace(BASE_CONFIG, **overrides))
        handles.append(handle)
        return Running(handle, Admin(handle.url), hubspot_client(handle.url))

    yield start
    for handle in handles:
        handle.stop()


@pytest.fixture
def sim(start_simulator: Callable[..., Running]) -> Running:
    """A simulator without a webhook target, with one owner the tests can assign."""
    running = start_simulator()
    running.admin.add_test_owner()
    return running


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    app = Flask("webhook-receiver")
    app.add_url_rule("/webhooks/hubspot", "hook", state.handle, methods=["POST"])
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    state.url = f"http://127.0.0.1:{server.port}/webhooks/hubspot"
    yield state
    state.release.set()
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def hooked(start_simulator: Callable[..., Running], receiver: Receiver) -> Running:
    """A simulator delivering webhooks to `receiver`."""
    running = start_simulator(webhook_target_url=receiver.url)
    running.admin.add_test_owner()
    return running
