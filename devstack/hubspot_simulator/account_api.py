"""Account information (date-versioned): the details an integration reads about its account."""

from __future__ import annotations

from flask import Blueprint, jsonify

from devstack.hubspot_simulator import guards, versions
from devstack.hubspot_simulator.serialize import account_json
from devstack.hubspot_simulator.simulator import current_account

bp = Blueprint("account_info", __name__, url_prefix="/account-info/<version>")
bp.url_value_preprocessor(versions.take_version)
bp.before_request(guards.before_api_request)
bp.after_request(guards.after_api_request)


@bp.get("/details")
def details():
    return jsonify(account_json(current_account().settings))
