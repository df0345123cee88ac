"""Rate limits, their headers, and injected faults (429 storms, 5xx, latency)."""

from __future__ import annotations

import time
from typing import Any

import requests

from devstack.hubspot_simulator.rate_limit import RateLimiter
from tests.devstack.hubspot_simulator.support import AUTH, VERSION, Running, api_error


def get_tasks(sim: Running) -> requests.Response:
    return requests.get(f"{sim.url}/crm/objects/{VERSION}/tasks", headers=AUTH, timeout=5)


def test_every_api_answer_carries_rate_limit_headers(start_simulator: Any) -> None:
    sim = start_simulator(burst_limit=190, daily_limit=625_000)
    first, second = get_tasks(sim), get_tasks(sim)
    assert first.headers["X-HubSpot-RateLimit-Max"] == "190"
    assert first.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert first.headers["X-HubSpot-RateLimit-Daily"] == "625000"
    assert int(first.headers["X-HubSpot-RateLimit-Remaining"]) == 189
    assert int(second.headers["X-HubSpot-RateLimit-Remaining"]) == 188
    assert int(second.headers["X-HubSpot-RateLimit-Daily-Remaining"]) == 624_998


def test_burst_over_the_limit_gets_429_and_is_counted(start_simulator: Any) -> None:
    sim = start_simulator(burst_limit=5)
    answers = [api_error(sim.client.crm.objects.tasks.get, "1") for _ in range(7)]

    assert [status for status, _ in answers] == [404] * 5 + [429] * 2
    error = answers[-1][1]
    assert error["errorType"] == "RATE_LIMIT"
    assert error["policyName"] == "TEN_SECONDLY_ROLLING"
    assert error["message"] == "You have reached your ten_secondly_rolling limit."
    assert error["groupName"] and error["correlationId"]
    stats = sim.admin.get("/stats")
    route = stats["requests"]["by_route"]["GET /crm/objects/2026-03/tasks/{object_id}"]
    assert route == {"total": 7, "by_status": {"404": 5, "429": 2}}
    assert stats["rate_limited"] == 2


def test_rolling_window_frees_budget_as_requests_age() -> None:
    now = [0.0]
    limiter = RateLimiter(burst_limit=2, daily_limit=100, clock=lambda: now[0])
    assert [limiter.check().refused_by for _ in range(3)] == [None, None, "TEN_SECONDLY_ROLLING"]
    now[0] = 10.01
    decision = limiter.check()
    assert decision.refused_by is None
    assert decision.headers["X-HubSpot-RateLimit-Remaining"] == "1"


def test_daily_limit_refuses_with_daily_policy() -> None:
    limiter = RateLimiter(burst_limit=100, daily_limit=2)
    assert [limiter.check().refused_by for _ in range(3)] == [None, None, "DAILY"]


def test_429_storm_set_through_admin_api(sim: Running) -> None:
    sim.admin.post("/faults", {"rate_limit_storm": True})
    stormy = get_tasks(sim)
    sim.admin.post("/faults", {"rate_limit_storm": False})
    calm = get_tasks(sim)

    assert stormy.status_code == 429
    assert stormy.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    assert calm.status_code == 200
    assert sim.admin.get("/faults")["rate_limit_storm"] is False


def test_injected_5xx_are_hubspot_errors_and_counted(start_simulator: Any) -> None:
    sim = start_simulator(error_rate=1.0)
    answers = [get_tasks(sim) for _ in range(6)]

    assert {a.status_code for a in answers} <= {500, 502, 503}
    assert all(a.json()["status"] == "error" and a.json()["correlationId"] for a in answers)
    assert sim.admin.get("/stats")["injected_errors"]["total"] == 6


def test_fault_sequence_is_deterministic_for_a_seed(start_simulator: Any) -> None:
    def statuses() -> list[int]:
        sim = start_simulator(error_rate=0.5, seed=7)
        return [get_tasks(sim).status_code for _ in range(20)]

    first, second = statuses(), statuses()
    assert first == second
    assert 200 in first and set(first) - {200}


def test_latency_is_added_to_api_calls_only(start_simulator: Any) -> None:
    sim = start_simulator(latency_ms=150)
    started = time.monotonic()
    sim.client.crm.objects.notes.list()
    api_seconds = time.monotonic() - started
    started = time.monotonic()
    sim.admin.get("/faults")
    admin_seconds = time.monotonic() - started

    assert api_seconds >= 0.15
    assert admin_seconds < 0.15


def test_faults_admin_rejects_unknown_or_bad_values(sim: Running) -> None:
    sim.admin.post("/faults", {"explode": True}, expect=400)
    sim.admin.post("/faults", {"error_rate": 2}, expect=400)
    assert sim.admin.post("/faults", {"latency_ms": 5})["latency_ms"] == 5
