"""Settings of one simulator instance; fixed at start except the fault knobs (see faults.py).

`SimulatorConfig` describes the app and its default account (the one its static
`access_token` reaches); accounts added later (accounts.py) bring their own `AccountSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccountSettings:
    """One account's id and the settings its details endpoint reports."""

    portal_id: int
    time_zone: str = "America/New_York"
    company_currency: str = "USD"


# kw_only so the required app/portal ids can follow the optional webhook target in the
# documented order; every caller passes fields by name anyway.
@dataclass(frozen=True, kw_only=True)
class SimulatorConfig:
    """How a simulated HubSpot account behaves: credentials, limits, faults and webhooks."""

    access_token: str
    client_secret: str
    # The app's OAuth client id, checked by the authorise and token endpoints (oauth_api.py).
    client_id: str = "hubspot-simulator-client-id"
    webhook_target_url: str | None = None
    app_id: int
    portal_id: int
    # The default account's settings, as its details endpoint reports them.
    time_zone: str = "America/New_York"
    company_currency: str = "USD"
    # HubSpot's OAuth access tokens live 30 minutes; tests shorten it to see them expire.
    access_token_lifetime_seconds: float = 1800.0

    # HubSpot's tiers are 100/190/250 requests per rolling 10 s and 250k+ per day.
    burst_limit: int = 100
    # HubSpot's rolling window is 10 s; tests shorten it to exercise limits quickly.
    rate_limit_window_ms: int = 10_000
    daily_limit: int = 250_000
    # HubSpot's search endpoints have their own ~5 requests/s limit; 0 disables it here so
    # quick tests stay deterministic.
    search_limit_per_second: int = 0

    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_storm: bool = False
    duplicate_webhook_rate: float = 0.0

    webhook_batch_size: int = 100
    webhook_max_in_flight: int = 10
    webhook_timeout_seconds: float = 5.0
    webhook_max_attempts: int = 4
    # HubSpot retries over about 24 hours; locally the first retry waits this long and each
    # later one twice as long, capped, so a failing receiver is visible within seconds.
    webhook_retry_delay_seconds: float = 0.5
    webhook_retry_max_delay_seconds: float = 10.0
    # Events that happen within this interval go out in one POST, like HubSpot's batching.
    webhook_flush_interval_seconds: float = 0.05
    webhook_send_v1_signature: bool = True

    batch_read_max_inputs: int = 100
    # Reject writes of properties the simulated portal does not define, as HubSpot does.
    strict_properties: bool = True
    # Properties the portal's admins made required (HubSpot's property validation rules),
    # by object type name: a create through the API without them is a 400 VALIDATION_ERROR.
    portal_required: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Object types (plural names) whose scopes the token lacks, as for an install made before
    # the app asked for them: every request naming one is a 403 MISSING_SCOPES.
    ungranted_object_types: tuple[str, ...] = ()
    load_demo_data: bool = False
    # The local stack starts each run's ids past the last run's, so results kept in its
    # Postgres never point at a different activity with a reused id.
    first_object_id: int = 1
    seed: int | None = None

    def default_account(self) -> AccountSettings:
        return AccountSettings(self.portal_id, self.time_zone, self.company_currency)
