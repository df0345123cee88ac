"""Serving the simulator: in the foreground until a signal (`run`), or in a thread for tests.

`run` takes the credentials and the webhook target from the project's settings; the
simulator's own knobs come from `SIMULATOR_<FIELD>` environment variables, one per
`SimulatorConfig` field (e.g. SIMULATOR_BURST_LIMIT=5, SIMULATOR_ERROR_RATE=0.1,
SIMULATOR_RATE_LIMIT_STORM=1), plus SIMULATOR_DEMO_DATA=1 as a short name for
SIMULATOR_LOAD_DEMO_DATA.
"""

from __future__ import annotations

import os
import signal
import threading
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import structlog
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from devstack.hubspot_simulator.app import create_simulator_app
from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.simulator import EXTENSION_KEY, Simulator

log = structlog.get_logger(__name__)

DEFAULT_APP_ID, DEFAULT_PORTAL_ID = 1_000_001, 2_000_001
# Short enough that stopping is quick; each poll is only a select() on the listening socket.
POLL_INTERVAL_SECONDS = 0.05
_FROM_SETTINGS = {"access_token", "client_id", "client_secret", "webhook_target_url"}


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Errors are still logged; successful request lines are not."""


@dataclass
class SimulatorHandle:
    """A simulator serving in a background thread."""

    url: str
    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def simulator(self) -> Simulator:
        return self.app.extensions[EXTENSION_KEY]

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()
        self.simulator.close()


def start_in_thread(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0
) -> SimulatorHandle:
    """Serve on `host:port` (0 picks a free port) until `handle.stop()`.

    Requests are not logged line by line: tests and the dev stack read /_admin/stats.
    """
    return _serve(config, host, port, _QuietRequestHandler)


def _serve(
    config: SimulatorConfig, host: str, port: int, handler: type[WSGIRequestHandler]
) -> SimulatorHandle:
    app = create_simulator_app(config)
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": POLL_INTERVAL_SECONDS},
        name="hubspot-simulator",
        daemon=True,
    )
    thread.start()
    return SimulatorHandle(f"http://{host}:{server.port}", app, server, thread)


def run(host: str, port: int, settings: Any) -> int:
    """Serve in the foreground; SIGINT or SIGTERM shuts down cleanly and answers 0."""
    handle = _serve(config_from_env(settings), host, port, WSGIRequestHandler)
    stopping = threading.Event()
    previous = _on_signals(lambda *_: stopping.set())
    log.info(
        "hubspot_simulator_started", url=handle.url, demo=handle.simulator.config.load_demo_data
    )
    try:
        # A timed wait keeps the main thread responsive to signals.
        while not stopping.wait(timeout=0.5):
            pass
    finally:
        handle.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        log.info("hubspot_simulator_stopped")
    return 0


def _on_signals(handler: Any) -> dict[int, Any]:
    """Install `handler` for SIGINT and SIGTERM; answers the handlers it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # Python only lets the main thread install signal handlers.
    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def config_from_env(settings: Any, environ: Mapping[str, str] | None = None) -> SimulatorConfig:
    """SimulatorConfig from the settings' credentials and SIMULATOR_* variables."""
    environ = os.environ if environ is None else environ
    hints = typing.get_type_hints(SimulatorConfig)
    values: dict[str, Any] = {"app_id": DEFAULT_APP_ID, "portal_id": DEFAULT_PORTAL_ID}
    aliases = {"load_demo_data": "SIMULATOR_DEMO_DATA"}
    for field in fields(SimulatorConfig):
        names = [f"SIMULATOR_{field.name.upper()}", aliases.get(field.name, "")]
        raw = next((environ[name] for name in names if name in environ), None)
        if field.name not in _FROM_SETTINGS and raw is not None:
            values[field.name] = _parse(field.name, raw, hints[field.name])
    base_url = settings.webhook_public_base_url
    if settings.hubspot_client_id:
        values["client_id"] = settings.hubspot_client_id
    return SimulatorConfig(
        access_token=settings.hubspot_access_token.get_secret_value(),
        client_secret=settings.hubspot_client_secret.get_secret_value(),
        webhook_target_url=f"{base_url.rstrip('/')}/webhooks/hubspot" if base_url else None,
        **values,
    )


def _parse(name: str, raw: str, hint: Any) -> Any:
    text = raw.strip()
    try:
        if hint is bool:
            return text.lower() in ("1", "true", "yes", "on")
        if hint == int | None:
            return int(text) if text else None
        return hint(text)
    except ValueError as exc:
        raise ValueError(f"SIMULATOR_{name.upper()}={raw!r} is not a valid {hint}") from exc
