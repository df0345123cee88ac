"""The HubSpot developer-platform project in ``hubspot-app/``, generated from the code's rules.

    .venv/bin/python -m devstack hubspot-app            # rewrite hubspot-app/ (placeholder URL)
    .venv/bin/python -m devstack hubspot-app --public-url https://ai.example.org --out /tmp/app

The app requests exactly the scopes the HubSpot operation table needs
(``shared/hubspot/operations.py``) and subscribes to the events the receiver processes
(``shared/webhooks/events.py``), so neither file is kept by hand; a test holds the committed
files to this module's output. Formats: platform version 2026.03, as in
https://developers.hubspot.com/docs/apps/developer-platform/build-apps/app-configuration and
https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shared.hubspot.operations import required_scopes
from shared.settings import PROJECT_ROOT
from shared.webhooks.events import PROPERTY_CHANGE, Subscription, processed_subscriptions

PROJECT_DIR = PROJECT_ROOT / "hubspot-app"
PLATFORM_VERSION = "2026.03"
PLACEHOLDER_PUBLIC_URL = "https://hubspot-ai.example.com"
WEBHOOK_PATH = "/webhooks/hubspot"  # the receiver's route (webhook_receiver/views/webhooks.py)
MAX_CONCURRENT_REQUESTS = 10  # HubSpot sends at most 10 requests at once per account

APP_FILE = "src/app/app-hsmeta.json"
WEBHOOKS_FILE = "src/app/webhooks/webhooks-hsmeta.json"

# How a crmObjects subscription names each activity type: HubSpot's object type names,
# lower-cased as in the docs' "contact" (meetings are MEETING_EVENT in its list of types
# supported by generic subscriptions, developers.hubspot.com/changelog/
# public-beta-generic-webhook-subscriptions).
OBJECT_TYPE_NAMES = {
    "0-27": "task",
    "0-46": "note",
    "0-47": "meeting_event",
    "0-48": "call",
    "0-49": "email",
}
# Processed, but HubSpot refuses a subscription to them ("Creating EMAIL subscriptions for the
# hs_email_html and hs_email_subject properties is not currently supported", .../docs/apps/
# legacy-apps/public-apps/create-generic-webhook-subscriptions). A change to only these
# reaches the pipeline through the reconciliation sweep instead.
UNSUBSCRIBABLE = frozenset(
    {
        Subscription(PROPERTY_CHANGE, "0-49", "hs_email_html"),
        Subscription(PROPERTY_CHANGE, "0-49", "hs_email_subject"),
    }
)


def project_documents(public_url: str = PLACEHOLDER_PUBLIC_URL) -> dict[str, dict[str, Any]]:
    """Each file of the project (path under ``hubspot-app/``) and its JSON document."""
    return {
        "hsproject.json": {
            "name": "hubspot-ai-wrapper",
            "srcDir": "src",
            "platformVersion": PLATFORM_VERSION,
        },
        APP_FILE: app_document(),
        WEBHOOKS_FILE: webhooks_document(public_url),
    }


def app_document() -> dict[str, Any]:
    """A private app installed in one account, with its static token carrying our scopes."""
    return {
        "uid": "hubspot_ai_app",
        "type": "app",
        "config": {
            "name": "AI follow-ups",
            "description": (
                "Turns new activities (notes, calls, emails, meetings, tasks) into follow-up "
                "drafts and a next touch date that a sales rep accepts with one click."
            ),
            "distribution": "private",
            "auth": {"type": "static", "requiredScopes": sorted(required_scopes())},
        },
    }


def webhooks_document(public_url: str = PLACEHOLDER_PUBLIC_URL) -> dict[str, Any]:
    return {
        "uid": "hubspot_ai_webhooks",
        "type": "webhooks",
        "config": {
            "settings": {
                "targetUrl": target_url(public_url),
                "maxConcurrentRequests": MAX_CONCURRENT_REQUESTS,
            },
            "subscriptions": {"crmObjects": [_crm_object(s) for s in subscribed()]},
        },
    }


def subscribed() -> list[Subscription]:
    """What the app subscribes to: all the receiver processes that HubSpot allows, in order."""
    wanted = processed_subscriptions() - UNSUBSCRIBABLE
    return sorted(wanted, key=lambda s: (s.objectTypeId, s.subscriptionType, s.propertyName or ""))


def target_url(public_url: str) -> str:
    """Where HubSpot sends the events: the receiver at ``WEBHOOK_PUBLIC_BASE_URL``."""
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the public URL must be https://host[/prefix], not {public_url!r}")
    return public_url.rstrip("/") + WEBHOOK_PATH


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_project(
    target: Path = PROJECT_DIR, public_url: str = PLACEHOLDER_PUBLIC_URL
) -> list[Path]:
    written = []
    for relative, document in project_documents(public_url).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document))
        written.append(path)
    return written


def _crm_object(subscription: Subscription) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "subscriptionType": subscription.subscriptionType,
        "objectType": OBJECT_TYPE_NAMES[subscription.objectTypeId],
    }
    if subscription.propertyName is not None:
        entry["propertyName"] = subscription.propertyName
    return {**entry, "active": True}
