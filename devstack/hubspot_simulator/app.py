"""The simulator's Flask app factory."""

from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from devstack.hubspot_simulator import (
    account_api,
    admin_accounts_api,
    admin_api,
    associations_api,
    crm_api,
    guards,
    journal_api,
    oauth_api,
    owners_api,
)
from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.errors import ApiError, error_body
from devstack.hubspot_simulator.fixtures import demo_data, load_fixtures
from devstack.hubspot_simulator.simulator import EXTENSION_KEY, Simulator

# HubSpot's categories for the HTTP errors Flask raises itself. An unknown path names no
# category, so it cannot be mistaken for a missing object (see versions.py).
_HTTP_CATEGORIES: dict[int, str | None] = {404: None, 405: "VALIDATION_ERROR"}


def create_simulator_app(config: SimulatorConfig) -> Flask:
    """A simulated HubSpot app and its accounts; its state is
    `app.extensions["hubspot_simulator"]`."""
    app = Flask(__name__)
    simulator = Simulator(config)
    app.extensions[EXTENSION_KEY] = simulator
    for blueprint in (
        crm_api.bp,
        associations_api.bp,
        owners_api.bp,
        account_api.bp,
        oauth_api.bp,
        journal_api.bp,
        journal_api.files,
        admin_api.bp,
        admin_accounts_api.bp,
    ):
        app.register_blueprint(blueprint)
    app.after_request(guards.count_request)
    app.register_error_handler(ApiError, _render_api_error)
    app.register_error_handler(HTTPException, _render_http_error)
    if config.load_demo_data:
        load_fixtures(simulator.accounts.default, demo_data())
    return app


def _render_api_error(error: ApiError):
    return jsonify(error.body()), error.status


def _render_http_error(error: HTTPException):
    status = error.code or 500
    category = _HTTP_CATEGORIES.get(status, "VALIDATION_ERROR" if status < 500 else "INTERNAL")
    return jsonify(error_body(error.description or error.name, category)), status
