"""The web process: HubSpot's signed webhooks, the reps' approval API and review page, CRM
reads, the OpenAPI document, health checks and ``/metrics``. It never imports the LLM stack."""

from __future__ import annotations

from webhook_receiver.app import create_app

__all__ = ["create_app"]
