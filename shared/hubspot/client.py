"""The HubSpot client the workers use, against HubSpot itself or the local simulator.

Built on HubSpot's date-versioned SDK (``hubspot-sdk``) with the host from
``HUBSPOT_API_BASE`` and the version from ``HUBSPOT_API_VERSION``: every request is one of
``shared.hubspot.operations``, its path built from that table. This class owns every retry
of a HubSpot call (the SDK's own retries are switched off): 429s, 5xx and network failures
are retried for reads, batch reads and writes alike, with exponential backoff, jitter and
HubSpot's wait hints; other 4xx fail at once. Every call has a timeout and, when a shared
limiter is given, takes a slot of the fleet's burst budget first. Inside a task, timeouts,
limiter waits and pauses are cut to the task's time budget (``shared.deadline``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import hubspot_sdk
import redis
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from shared.deadline import OutOfTime, call_timeout, wait_within
from shared.hubspot.daily_cap import DailyCap, DailyCapReached
from shared.hubspot.errors import (
    AccountUnavailable,
    HubSpotError,
    ObjectNotFound,
    api_status,
    is_daily_refusal,
    is_transient,
    server_wait_hint,
    translate,
)
from shared.hubspot.models import ActivityKind, Owner
from shared.hubspot.operations import operation
from shared.hubspot.parse import parse_owner, parse_timestamp
from shared.hubspot.rate_limit import SharedRateLimiter, budget_for, burst_key
from shared.metrics import Metrics
from shared.settings import Settings

DEFAULT_API_VERSION = "2026-03"
# How long a call may wait for a slot of the shared burst budget.
LIMITER_PATIENCE_SECONDS = 30.0

# Association type ids HubSpot defines for a task pointing at other objects.
TASK_ASSOCIATION_TYPE_IDS = {"contacts": 204, "companies": 192}


class HubSpotClient:
    """Thin, typed calls; ``calls`` counts the HTTP requests made, by operation."""

    def __init__(
        self,
        access_token: str | Callable[[], str],
        api_base: str,
        timeout: float,
        limiter: SharedRateLimiter | None = None,
        max_attempts: int = 5,
        batch_size: int = 100,
        backoff_initial: float = 0.25,
        backoff_max: float = 8.0,
        metrics: Metrics | None = None,
        api_version: str = DEFAULT_API_VERSION,
        daily_cap: DailyCap | None = None,
    ) -> None:
        self.metrics = metrics
        self.daily_cap = daily_cap
        self.api_version = api_version
        # An OAuth account's token is asked for at each request (it is refreshed meanwhile);
        # a static one is the SDK's own.
        self._token = access_token if callable(access_token) else None
        self._sdk = hubspot_sdk.HubSpot(
            access_token=None if callable(access_token) else access_token,
            base_url=api_base.rstrip("/"),
            timeout=timeout,
            max_retries=0,
        )
        self.timeout = timeout
        self.limiter = limiter
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self._backoff = wait_exponential_jitter(
            multiplier=backoff_initial, max=backoff_max, jitter=backoff_initial
        )
        self.calls: Counter[str] = Counter()

    def read_with_links(
        self, object_type: str, object_id: str, properties: list[str]
    ) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
        """One GET: the object and the ids of its contacts and companies; None when gone."""
        try:
            obj = self.request(
                "get",
                object_type=object_type,
                object_id=object_id,
                query={
                    "properties": ",".join(properties),
                    "associations": "contacts,companies",
                },
            )
        except ObjectNotFound:
            return None
        associations = obj.get("associations") or {}
        links = {
            to: [str(link["id"]) for link in (associations.get(to) or {}).get("results") or []]
            for to in ("contacts", "companies")
        }
        return obj, links

    def batch_read(
        self, object_type: str, ids: list[str], properties: list[str]
    ) -> list[dict[str, Any]]:
        body = {"inputs": [{"id": i} for i in ids], "properties": properties}
        response = self.request("batch_read", object_type=object_type, body=body)
        return list(response.get("results") or [])

    def associated_ids(self, from_type: str, to_type: str, ids: list[str]) -> dict[str, list[str]]:
        body = {"inputs": [{"id": i} for i in ids]}
        response = self.request("associations", object_type=from_type, to_type=to_type, body=body)
        # The date-versioned shape gives each target's id as a string (v4 gave an integer).
        return {
            str(row["from"]["id"]): [str(target["toObjectId"]) for target in row.get("to") or []]
            for row in response.get("results") or []
        }

    def modified_since(
        self, kind: ActivityKind, since: datetime, page_size: int = 100
    ) -> Iterator[tuple[str, datetime | None]]:
        """Ids (and modification times) of activities modified at or after ``since``."""
        after: str | None = None
        while True:
            request = _modified_since_request(since, page_size, after)
            page = self.request("search", object_type=kind.object_type, body=request)
            for obj in page.get("results") or []:
                modified = (obj.get("properties") or {}).get("hs_lastmodifieddate")
                yield str(obj["id"]), parse_timestamp(modified)
            after = _next_after(page)
            if not after:
                return

    # -- write-backs ------------------------------------------------------------------

    def update_object(
        self, object_type: str, object_id: str, properties: dict[str, str]
    ) -> dict[str, Any]:
        body = {"properties": properties}
        return self.request("update", object_type=object_type, object_id=object_id, body=body)

    def create_task(
        self, properties: dict[str, str], associations: dict[str, list[str]]
    ) -> dict[str, Any]:
        links = [
            {
                "to": {"id": target},
                "types": [
                    {
                        "associationCategory": "HUBSPOT_DEFINED",
                        "associationTypeId": TASK_ASSOCIATION_TYPE_IDS[to_type],
                    }
                ],
            }
            for to_type, targets in associations.items()
            for target in targets
        ]
        body = {"properties": properties, "associations": links}
        return self.request("create", object_type="tasks", body=body)

    def owned_by(
        self,
        object_type: str,
        owner_id: str,
        properties: list[str],
        after: str | None = None,
        limit: int = 20,
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the objects an owner owns, newest first, and the next page's cursor."""
        request: dict[str, Any] = {
            "filterGroups": [
                {
                    "filters": [
                        {"propertyName": "hubspot_owner_id", "operator": "EQ", "value": owner_id}
                    ]
                }
            ],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}],
            "properties": properties,
            "limit": limit,
        }
        if after:
            request["after"] = after
        page = self.request("search", object_type=object_type, body=request)
        return list(page.get("results") or []), _next_after(page)

    def find_task(self, property_name: str, value: str) -> dict[str, Any] | None:
        """The task whose ``property_name`` equals ``value``, if HubSpot has one."""
        request = {
            "filterGroups": [
                {"filters": [{"propertyName": property_name, "operator": "EQ", "value": value}]}
            ],
            "properties": ["hs_lastmodifieddate"],
            "limit": 1,
        }
        page = self.request("search", object_type="tasks", body=request)
        results = page.get("results") or []
        return results[0] if results else None

    # -- owners -----------------------------------------------------------------------

    def all_owners(self, page_size: int = 100) -> Iterator[Owner]:
        """Every active owner of the account, a page of ``page_size`` per call."""
        after: str | None = None
        while True:
            query: dict[str, Any] = {"limit": page_size, **({"after": after} if after else {})}
            page = self.request("owners", query=query)
            yield from (parse_owner(owner) for owner in page.get("results") or [])
            after = _next_after(page)
            if not after:
                return

    def find_owner_by_email(self, email: str) -> Owner | None:
        page = self.request("owners", query={"email": email, "limit": 1})
        results = page.get("results") or []
        return parse_owner(results[0]) if results else None

    # -- the one place a call is made ---------------------------------------------------

    def request(
        self,
        name: str,
        *,
        query: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        **path_parts: str,
    ) -> dict[str, Any]:
        """One operation of the table, with the limiter, a timeout and the retry policy."""
        declared = operation(name)
        path = declared.path_for(self.api_version, **path_parts)
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if self.daily_cap is not None:
                        self.daily_cap.check()  # raises DailyCapReached: no call until reset
                    timeout = call_timeout(self.timeout)  # raises OutOfTime before any call
                    if self.limiter is not None:
                        self.limiter.acquire(wait_within(LIMITER_PATIENCE_SECONDS))
                    self.calls[name] += 1
                    response = self._counted(name, declared.method, path, timeout, query, body)
                    return response.json() if response.content else {}
        except OutOfTime as exc:
            raise HubSpotError(f"{name}: {exc}") from None
        except (HubSpotError, AccountUnavailable):
            raise
        except Exception as exc:
            if is_daily_refusal(exc) and self.daily_cap is not None:
                until = self.daily_cap.until()  # just recorded by _counted
                if until is not None:
                    raise DailyCapReached(until) from None
            raise translate(exc, name) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _counted(
        self,
        name: str,
        method: str,
        path: str,
        timeout: float,
        query: dict[str, Any] | None,
        body: dict[str, Any] | None,
    ) -> httpx.Response:
        """One HTTP request, counted (and its 429s) in the shared metrics."""
        options: hubspot_sdk.RequestOptions = {"timeout": timeout}
        if self._token is not None:
            options["headers"] = {"Authorization": f"Bearer {self._token()}"}
        if query:
            options["params"] = query
        try:
            if method == "GET":
                response = self._sdk.get(path, cast_to=httpx.Response, options=options)
            else:
                send = self._sdk.post if method == "POST" else self._sdk.patch
                response = send(path, cast_to=httpx.Response, body=body, options=options)
        except hubspot_sdk.APIStatusError as exc:
            if self.daily_cap is not None:
                self.daily_cap.observe(exc.response.headers, refused_daily=is_daily_refusal(exc))
            if self.metrics is not None and api_status(exc) == 429:
                self.metrics.count("hubspot_rate_limited_total", operation=name)
            raise
        finally:
            if self.metrics is not None:
                self.metrics.count("hubspot_calls_total", operation=name)
        if self.daily_cap is not None:
            self.daily_cap.observe(response.headers)
        return response

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hint = server_wait_hint(exc) if exc else 0.0
        return wait_within(max(self._backoff(state), hint))


def build_client(
    settings: Settings,
    redis_client: redis.Redis | None = None,
    account: tuple[int, Callable[[], str]] | None = None,
) -> HubSpotClient:
    """The client as configured; with Redis, calls share the fleet's burst budget. With
    ``account`` (an OAuth install's portal id and its token provider), the client acts for
    that account: its own token, and its own burst budget and daily cap, since HubSpot
    counts both per app per account."""
    scope = account[0] if account else None
    limiter = (
        SharedRateLimiter(
            redis_client, budget_for(settings.hubspot_burst_limit), key=burst_key(scope)
        )
        if redis_client is not None
        else None
    )
    static = settings.hubspot_access_token
    token = account[1] if account else (static.get_secret_value() if static else "")
    metrics = Metrics(redis_client) if redis_client is not None else None
    daily_cap = DailyCap(redis_client, scope) if redis_client is not None else None
    return HubSpotClient(
        access_token=token,
        api_base=settings.hubspot_api_base,
        timeout=settings.hubspot_timeout_seconds,
        limiter=limiter,
        max_attempts=settings.hubspot_max_attempts,
        batch_size=settings.hubspot_batch_size,
        metrics=metrics,
        api_version=settings.hubspot_api_version,
        daily_cap=daily_cap,
    )


def _modified_since_request(since: datetime, limit: int, after: str | None) -> dict[str, Any]:
    millis = str(int(since.timestamp() * 1000))
    request: dict[str, Any] = {
        "filterGroups": [
            {
                "filters": [
                    {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": millis}
                ]
            }
        ],
        "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
        "properties": ["hs_lastmodifieddate"],
        "limit": limit,
    }
    if after:
        request["after"] = after
    return request


def _next_after(page: dict[str, Any]) -> str | None:
    following = (page.get("paging") or {}).get("next") or {}
    return following.get("after") or None
