"""The web process: HubSpot's webhooks in, health checks out. It never imports the LLM stack."""

from __future__ import annotations

from webhook_receiver.app import create_app

__all__ = ["create_app"]
