"""/openapi.json is valid OpenAPI 3.1, matches the app's routes and the API's real answers,
and fuzzing the API from it finds no 5xx."""

import re
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import OpenAPIV31SpecValidator
from schemathesis.generation.case import Case

from tests.webhook_receiver.test_api import headers_for
from tests.webhook_receiver.test_api import processed as processed
from webhook_receiver import create_app
from webhook_receiver.views.openapi import document


@pytest.fixture
def app(database_url, redis_url, simulator):
    return create_app()


def test_the_document_describes_exactly_the_api_routes(app):
    document = app.test_client().get("/openapi.json").json
    documented = {
        (path, method.upper()) for path, item in document["paths"].items() for method in item
    }
    routed = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert documented == routed


def test_the_document_is_valid_openapi_3_1():
    errors = [error.message for error in OpenAPIV31SpecValidator(document()).iter_errors()]

    assert document()["openapi"] == "3.1.0"
    assert errors == []


@pytest.mark.parametrize("query", ["", "?include=activity&dismissed=false"])
def test_the_runs_list_answers_as_documented(app, processed, database_url, query):
    operation = schemathesis.openapi.from_dict(document())["/api/v1/runs"]["GET"]
    token = headers_for(database_url, "maria.chen@brightlane.example")

    response = app.test_client().get(f"/api/v1/runs{query}", headers=token)

    assert response.status_code == 200 and response.json["runs"]
    operation.validate_response(response)


def test_every_operation_answers_as_documented(app, processed, database_url):
    client, schema = app.test_client(), schemathesis.openapi.from_dict(document())
    token = headers_for(database_url, "maria.chen@brightlane.example")

    def answered(method: str, template: str, path: str, **kwargs):
        response = client.open(path, method=method, headers=token, **kwargs)
        schema[template][method].validate_response(response)
        return response

    [result, *_] = answered("GET", "/api/v1/runs", "/api/v1/runs").json["runs"]
    activity = f"/api/v1/activities/{result['activity_id']}"
    detail = answered("GET", "/api/v1/activities/{activity_id}", activity).json
    [run, *_] = detail["runs"]
    record = f"/api/v1/records/contacts/{detail['hubspot']['contacts'][0]['id']}/runs"
    listed = answered("GET", "/api/v1/records/{object_type}/{record_id}/runs", record)
    assert listed.json["runs"]
    [accept_me, reject_me, *_] = (draft["id"] for draft in run["drafts"])
    job = answered(
        "POST", "/api/v1/drafts/{draft_id}/accept", f"/api/v1/drafts/{accept_me}/accept"
    ).json
    apply = f"/api/v1/recommendations/{run['recommendation']['id']}/apply"
    due = {"recommended_due": "2026-12-11T17:00:00+00:00"}
    answered("POST", "/api/v1/recommendations/{recommendation_id}/apply", apply, json=due)
    answered("GET", "/api/v1/jobs/{job_id}", job["status_url"])
    rejected = answered(
        "POST",
        "/api/v1/drafts/{draft_id}/reject",
        f"/api/v1/drafts/{reject_me}/reject",
        json={"reason": "not_needed"},
    )
    answered("POST", "/api/v1/runs/{run_id}/dismiss", f"/api/v1/runs/{run['id']}/dismiss")
    answered("POST", "/api/v1/runs/{run_id}/restore", f"/api/v1/runs/{run['id']}/restore")
    answered("POST", "/api/v1/runs/{run_id}/dismiss", f"/api/v1/runs/{run['id']}/dismiss")
    inbox = answered("GET", "/api/v1/inbox", "/api/v1/inbox?include=activity&order=due").json
    assert inbox["entries"] and inbox["counts"]["done"] >= 1
    answered("GET", "/api/v1/session", "/api/v1/session")
    answered("PATCH", "/api/v1/session", "/api/v1/session", json={"metadata": {"a": 1}})
    answered("GET", "/api/v1/crm/{object_type}", "/api/v1/crm/contacts")
    insights = answered("GET", "/api/v1/insights", "/api/v1/insights")
    missing = answered("GET", "/api/v1/jobs/{job_id}", f"/api/v1/jobs/{run['id']}")
    invalid = answered("GET", "/api/v1/runs", "/api/v1/runs?limit=0")

    assert (missing.status_code, invalid.status_code) == (404, 422)
    assert (rejected.status_code, insights.status_code) == (200, 200)


# Loaded from the same document the app serves; each request is sent through Flask's test
# client. (schemathesis' own pytest plugin does not run on this pytest version.)
OPERATIONS = [
    result.ok() for result in schemathesis.openapi.from_dict(document()).get_all_operations()
]


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def test_fuzzed_requests_never_get_a_server_error(app, processed, database_url, operation):
    client = app.test_client()
    token = headers_for(database_url, "maria.chen@brightlane.example")

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def no_server_error(case: Case) -> None:
        request = case.as_transport_kwargs(base_url="http://localhost")
        response = client.open(
            urlsplit(request["url"]).path,
            method=request["method"],
            headers={**request["headers"], **token},
            query_string=request.get("params"),
            json=request.get("json"),
            data=request.get("data"),
        )
        assert response.status_code < 500, (request, response.get_data(as_text=True)[:300])

    no_server_error()
