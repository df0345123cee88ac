"""What happens around every API request: latency, auth, rate limits, faults and counting.

The order follows HubSpot's edge: a request is delayed by the network, then authenticated,
then counted against the rate limits, and only then can the backend fail it.
"""

from __future__ import annotations

import hmac
import time

from flask import Response, g, request

from devstack.hubspot_simulator.errors import ApiError
from devstack.hubspot_simulator.objects import find_object_type
from devstack.hubspot_simulator.rate_limit import POLICY_MESSAGES
from devstack.hubspot_simulator.simulator import current_simulator

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and "
    "you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
_TYPE_ARGS = ("object_type", "to_object_type", "from_object_type")
SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about "
    "required scopes here: https://developers.hubspot.com/scopes."
)


def before_api_request() -> None:
    simulator = current_simulator()
    latency = simulator.faults.latency_seconds
    if latency > 0:
        time.sleep(latency)
    _authenticate(simulator.config.access_token)
    _check_scopes(simulator.config.ungranted_object_types)
    decision = simulator.limiter.check(
        storm=simulator.faults.rate_limit_storm, search=request.path.endswith("/search")
    )
    g.rate_limit_headers = decision.headers
    if decision.refused_by is not None:
        raise _rate_limited(decision.refused_by, simulator.config.app_id)
    injected = simulator.faults.injected_error()
    if injected is not None:
        simulator.stats.record_injected_error(injected.status)
        raise injected


def after_api_request(response: Response) -> Response:
    response.headers.update(g.get("rate_limit_headers", {}))
    return response


def count_request(response: Response) -> Response:
    """App-wide: every answer outside the admin API counts, unknown routes included."""
    if not request.path.startswith("/_admin"):
        current_simulator().stats.record_request(route_key(), response.status_code)
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


def _authenticate(access_token: str) -> None:
    supplied = request.headers.get("Authorization", "")
    if not hmac.compare_digest(supplied.encode(), f"Bearer {access_token}".encode()):
        raise ApiError(401, AUTH_MESSAGE, "INVALID_AUTHENTICATION")


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
