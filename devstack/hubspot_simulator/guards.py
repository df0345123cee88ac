"""What happens around every API request: latency, auth, rate limits, faults and counting.

The order follows HubSpot's edge: a request is delayed by the network, then authenticated
(which names its account, auth.py), then counted against that account's rate limits, and
only then can the backend fail it.
"""

from __future__ import annotations

import time

from flask import Response, g, request

from devstack.hubspot_simulator.account import Account
from devstack.hubspot_simulator.accounts import Accounts
from devstack.hubspot_simulator.auth import authenticate
from devstack.hubspot_simulator.errors import ApiError
from devstack.hubspot_simulator.objects import find_object_type
from devstack.hubspot_simulator.rate_limit import POLICY_MESSAGES
from devstack.hubspot_simulator.simulator import Simulator, current_simulator
from devstack.hubspot_simulator.store import ObjectKey

_TYPE_ARGS = ("object_type", "to_object_type", "from_object_type")
SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about "
    "required scopes here: https://developers.hubspot.com/scopes."
)


def before_api_request() -> None:
    simulator = current_simulator()
    network_delay(simulator)
    g.account, g.token_label = authenticate(simulator)
    _check_scopes(simulator.config.ungranted_object_types)
    _count_cross_account(simulator.accounts, g.account)
    decision = g.account.limiter.check(
        storm=simulator.faults.rate_limit_storm, search=request.path.endswith("/search")
    )
    g.rate_limit_headers = decision.headers
    if decision.refused_by is not None:
        raise _rate_limited(decision.refused_by, simulator.config.app_id)
    backend_failure(simulator)


def network_delay(simulator: Simulator) -> None:
    """The configured latency, before anything else happens to a request."""
    latency = simulator.faults.latency_seconds
    if latency > 0:
        time.sleep(latency)


def backend_failure(simulator: Simulator) -> None:
    """A 5xx at the configured rate, once a request got past HubSpot's edge."""
    injected = simulator.faults.injected_error()
    if injected is not None:
        simulator.stats.record_injected_error(injected.status)
        raise injected


def after_api_request(response: Response) -> Response:
    response.headers.update(g.get("rate_limit_headers", {}))
    return response


def count_request(response: Response) -> Response:
    """App-wide: every answer outside the admin API counts, unknown routes included, and an
    authenticated one counts for its account too."""
    if not request.path.startswith("/_admin"):
        current_simulator().stats.record_request(route_key(), response.status_code)
    if "account" in g:
        g.account.requests.record(g.token_label, route_key())
    return response


def route_key() -> str:
    """`GET /crm/objects/2026-03/tasks/{object_id}`: the route, version and types filled in."""
    if request.url_rule is None:
        return f"{request.method} {request.path}"
    route = request.url_rule.rule.replace("<version>", g.get("api_version", "{version}"))
    for name, value in (request.view_args or {}).items():
        route = route.replace(f"<{name}>", _route_part(name, value))
    return f"{request.method} {route}"


def _route_part(name: str, value: str) -> str:
    """Object types stay in the key, so benchmarks can count calls per type; ids do not."""
    if name not in _TYPE_ARGS:
        return f"{{{name}}}"
    object_type = find_object_type(value)
    return object_type.name if object_type else value


def _count_cross_account(accounts: Accounts, account: Account) -> None:
    """A request naming an object another account holds is counted: the service must never
    send one, and the count lets tests prove it did not."""
    holders = (accounts.holder_of(key) for key in _named_objects())
    if any(holder not in (None, account) for holder in holders):
        account.requests.record_cross_account()


def _named_objects() -> list[ObjectKey]:
    """The objects a request names: in its path, and the inputs of a batch read."""
    args = request.view_args or {}
    object_type = find_object_type(args.get("object_type") or args.get("from_object_type") or "")
    if object_type is None:
        return []
    ids = [args["object_id"]] if "object_id" in args else []
    if request.path.endswith("/batch/read"):
        body = request.get_json(force=True, silent=True)
        inputs = body.get("inputs") if isinstance(body, dict) else None
        ids += [i["id"] for i in inputs or [] if isinstance(i, dict) and "id" in i]
    return [(object_type.singular, str(object_id)) for object_id in ids]


def _check_scopes(ungranted: tuple[str, ...]) -> None:
    named = [request.view_args.get(arg) for arg in _TYPE_ARGS] if request.view_args else []
    named += request.args.get("associations", "").split(",")
    types = {t.name for value in named if value and (t := find_object_type(value)) is not None}
    missing = sorted(types & set(ungranted))
    if missing:
        scopes = [f"crm.objects.{name}.read" for name in missing]
        detail = {"message": "One or more of the following scopes are required."}
        errors = [{**detail, "context": {"requiredGranularScopes": scopes}}]
        raise ApiError(403, SCOPES_MESSAGE, "MISSING_SCOPES", errors=errors, links={})


def _rate_limited(policy: str, app_id: int) -> ApiError:
    return ApiError(
        429,
        POLICY_MESSAGES[policy],
        None,
        errorType="RATE_LIMIT",
        policyName=policy,
        groupName=f"publicapi:app:{app_id}",
    )
