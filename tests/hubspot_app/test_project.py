"""hubspot-app/ asks HubSpot for what the code uses: its events, its scopes, nothing else."""

import json
from itertools import product
from urllib.parse import urlsplit

import pytest
from flask import Flask

from devstack import hubspot_app
from devstack.cli import main
from shared.hubspot.models import KIND_BY_TYPE_ID
from shared.hubspot.operations import OPERATIONS, required_scopes
from shared.review.record import RECORD_TYPES
from shared.webhooks.events import (
    ACTIVITY_SUBSCRIPTIONS,
    PROPERTY_CHANGE,
    Subscription,
    parse_events,
    processed_subscriptions,
)
from tests.webhook_signing import activity_event, body_of, privacy_deletion_event
from webhook_receiver.views.oauth import oauth
from webhook_receiver.views.webhooks import webhooks

TYPE_ID_BY_NAME = {name: type_id for type_id, name in hubspot_app.OBJECT_TYPE_NAMES.items()}


def committed(relative: str) -> dict:
    return json.loads((hubspot_app.PROJECT_DIR / relative).read_text())


def crm_objects() -> list[dict]:
    return committed(hubspot_app.WEBHOOKS_FILE)["config"]["subscriptions"]["crmObjects"]


def delivered(entry: dict) -> dict:
    """The event HubSpot sends for a subscription entry."""
    change = (
        {"propertyName": entry["propertyName"], "propertyValue": "x"}
        if "propertyName" in entry
        else {}
    )
    return activity_event(
        type_id=TYPE_ID_BY_NAME[entry["objectType"]],
        subscription=entry["subscriptionType"],
        **change,
    )


def test_every_subscription_delivers_events_the_receiver_processes():
    events = parse_events(body_of([delivered(entry) for entry in crm_objects()]))

    assert [event for event in events if not event.is_activity_event] == []
    assert all(entry["active"] is True for entry in crm_objects())


def test_every_event_the_receiver_processes_is_subscribed_where_hubspot_allows():
    subscribed = {
        Subscription(e["subscriptionType"], TYPE_ID_BY_NAME[e["objectType"]], e.get("propertyName"))
        for e in crm_objects()
    }

    assert len(subscribed) == len(crm_objects())
    assert subscribed == processed_subscriptions() - hubspot_app.UNSUBSCRIBABLE
    assert hubspot_app.UNSUBSCRIBABLE.issubset(processed_subscriptions())  # none stale


def test_processed_subscriptions_is_the_receivers_rule():
    names = {name for kind in KIND_BY_TYPE_ID.values() for name in kind.properties}
    types = [*ACTIVITY_SUBSCRIPTIONS, "object.merge", "object.associationChange"]
    for type_id, subscription, name in product([*KIND_BY_TYPE_ID, "0-1"], types, [*names, None]):
        event = activity_event(type_id=type_id, subscription=subscription, propertyName=name)
        [parsed] = parse_events(body_of([event]))
        key = Subscription(subscription, type_id, name if subscription == PROPERTY_CHANGE else None)

        assert parsed.is_activity_event == (key in processed_subscriptions()), key


def test_every_activity_type_has_a_subscription_name():
    assert hubspot_app.OBJECT_TYPE_NAMES.keys() == KIND_BY_TYPE_ID.keys()


def test_the_app_requests_exactly_the_scopes_of_the_operation_table():
    auth = committed(hubspot_app.APP_FILE)["config"]["auth"]
    requested = auth["requiredScopes"]

    assert requested == sorted(required_scopes())
    assert "optionalScopes" not in auth and "conditionallyRequiredScopes" not in auth
    for scope in requested:
        assert any(scope in op.required_scopes() for op in OPERATIONS.values()), scope
    for op in OPERATIONS.values():
        assert op.required_scopes() <= set(requested), op.name


def test_the_committed_project_is_the_generators_output_and_the_cards_sources():
    generated = hubspot_app.project_files()
    card_files = {
        f"{hubspot_app.CARDS_DIR}/{name}"
        for name in (*hubspot_app.CARD_SOURCES, *hubspot_app.CARD_TESTS)
    }
    files = {
        path.relative_to(hubspot_app.PROJECT_DIR).as_posix()
        for path in hubspot_app.PROJECT_DIR.rglob("*")
        if path.is_file() and "node_modules" not in path.parts
    }

    assert files == generated.keys() | card_files, "run: python -m devstack hubspot-app"
    for relative, text in generated.items():
        assert (hubspot_app.PROJECT_DIR / relative).read_text() == text, (
            f"{relative}: run: python -m devstack hubspot-app"
        )


def test_the_card_is_on_the_records_the_api_lists_and_may_call_only_the_service():
    card = committed(hubspot_app.CARD_FILE)["config"]
    app = committed(hubspot_app.APP_FILE)["config"]

    assert card["objectTypes"] == list(RECORD_TYPES)
    assert (hubspot_app.PROJECT_DIR / "src" / card["entrypoint"].lstrip("/")).is_file()
    assert app["permittedUrls"]["fetch"] == [hubspot_app.PLACEHOLDER_PUBLIC_URL]
    module = (hubspot_app.PROJECT_DIR / hubspot_app.CARD_API_FILE).read_text()
    assert f'APPROVAL_API_URL = "{hubspot_app.PLACEHOLDER_PUBLIC_URL}";' in module


def test_the_target_url_is_the_receivers_route():
    app = Flask(__name__)
    app.register_blueprint(webhooks)
    target = committed(hubspot_app.WEBHOOKS_FILE)["config"]["settings"]["targetUrl"]

    rule, _ = app.url_map.bind("hubspot-ai.example.com").match(urlsplit(target).path, "POST")

    assert rule == "webhooks.receive_hubspot_events"


def test_a_deployment_gets_a_copy_with_its_own_target_url(tmp_path, capsys):
    assert (
        main(["hubspot-app", "--public-url", "https://ai.example.org/", "--out", str(tmp_path)])
        == 0
    )

    webhooks_config = json.loads((tmp_path / hubspot_app.WEBHOOKS_FILE).read_text())["config"]
    assert webhooks_config["settings"]["targetUrl"] == "https://ai.example.org/webhooks/hubspot"
    assert (tmp_path / "hsproject.json").read_text() == (
        hubspot_app.PROJECT_DIR / "hsproject.json"
    ).read_text()
    app_config = json.loads((tmp_path / hubspot_app.APP_FILE).read_text())["config"]
    assert app_config["permittedUrls"]["fetch"] == ["https://ai.example.org"]
    cards = tmp_path / hubspot_app.CARDS_DIR
    assert 'APPROVAL_API_URL = "https://ai.example.org";' in (cards / "approval-api.js").read_text()
    for name in hubspot_app.CARD_SOURCES:  # the card's sources travel, its tests do not
        assert (cards / name).read_bytes() == (
            hubspot_app.PROJECT_DIR / hubspot_app.CARDS_DIR / name
        ).read_bytes()
    assert not any((cards / name).exists() for name in hubspot_app.CARD_TESTS)
    assert (
        main(["hubspot-app", "--public-url", "http://ai.example.org", "--out", str(tmp_path)]) == 2
    )
    assert "https://host" in capsys.readouterr().err


@pytest.mark.parametrize(
    "url", ["http://ai.example.org", "ai.example.org", "https://", "https://a.org/?x=1"]
)
def test_a_target_url_hubspot_cannot_use_is_refused(url):
    with pytest.raises(ValueError, match="https://host"):
        hubspot_app.target_url(url)


def test_an_oauth_deployment_sends_hubspot_back_to_the_install_callback(tmp_path):
    args = ["hubspot-app", "--public-url", "https://ai.example.org", "--auth", "oauth"]
    assert main([*args, "--out", str(tmp_path)]) == 0

    config = json.loads((tmp_path / hubspot_app.APP_FILE).read_text())["config"]
    app = Flask(__name__)
    app.register_blueprint(oauth)
    [redirect] = config["auth"]["redirectUrls"]
    rule, _ = app.url_map.bind("ai.example.org").match(urlsplit(redirect).path, "GET")

    assert config["auth"]["type"] == "oauth"
    assert redirect.startswith("https://ai.example.org/")
    assert rule == "oauth.callback"
    assert config["auth"]["requiredScopes"] == sorted(required_scopes())
    assert config["distribution"] == "marketplace"


def test_the_app_subscribes_to_privacy_deletions_which_the_receiver_acts_on():
    hub_events = committed(hubspot_app.WEBHOOKS_FILE)["config"]["subscriptions"]["hubEvents"]

    [event] = parse_events(body_of([privacy_deletion_event(contact_id=12)]))

    assert hub_events == [{"subscriptionType": "contact.privacyDeletion", "active": True}]
    assert event.is_privacy_deletion and event.is_acted_on
