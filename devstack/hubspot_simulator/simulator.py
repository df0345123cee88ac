"""The simulated HubSpot: one app installed in several accounts, with its OAuth tokens,
faults, stats and webhook sender.

Each API request is authenticated to exactly one account (guards.py), and its views reach
that account's data only, through `current_account()`.
"""

from __future__ import annotations

from flask import current_app, g, request

from devstack.hubspot_simulator.account import Account
from devstack.hubspot_simulator.accounts import Accounts
from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.errors import validation_error
from devstack.hubspot_simulator.faults import Faults
from devstack.hubspot_simulator.journal import Journal
from devstack.hubspot_simulator.oauth import Tokens
from devstack.hubspot_simulator.rate_limit import RateLimiter
from devstack.hubspot_simulator.stats import Stats
from devstack.hubspot_simulator.webhooks import WebhookDispatcher

EXTENSION_KEY = "hubspot_simulator"


class Simulator:
    """Everything one simulator instance holds; shared by all request threads."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = Faults(config)
        self.stats = Stats()
        self.webhooks = WebhookDispatcher(config, self.faults, self.stats)
        self.journal = Journal()
        self.accounts = Accounts(config, self.webhooks, self.journal)
        self.tokens = Tokens(config.access_token_lifetime_seconds)

    @property
    def limiter(self) -> RateLimiter:
        """The default account's limiter, for tests of a one-account simulator."""
        return self.accounts.default.limiter

    def uninstall(self, account: Account) -> None:
        """The app is removed from the account: its tokens stop working until it is
        installed again (GET /oauth/authorize); the account's data stays. No webhook tells
        the app: HubSpot reports installs and uninstalls in the webhooks journal only."""
        account.set_installed(False)
        self.tokens.forget_account(account.portal_id)

    def reset(self) -> None:
        """Back to the default account alone, empty, with no OAuth tokens and the configured
        faults; counters start over."""
        self.webhooks.reset()
        self.journal.reset()
        self.accounts.reset()
        self.tokens.reset()
        self.stats.reset()
        self.faults.reset()

    def close(self) -> None:
        self.webhooks.stop()


def current_simulator() -> Simulator:
    """The simulator of the Flask app handling this request."""
    return current_app.extensions[EXTENSION_KEY]


def current_account() -> Account:
    """The account this API request's token belongs to (set by guards.py)."""
    return g.account


def admin_account() -> Account:
    """The account an admin request names with `?portalId=`; the default one otherwise."""
    return requested_account(current_simulator().accounts.default)


def requested_account(fallback: Account) -> Account:
    """The account the request names with `?portalId=`; `fallback` when it names none."""
    raw = request.args.get("portalId")
    if raw is None:
        return fallback
    if not raw.isdigit():
        raise validation_error(f"portalId must be a number, got {raw!r}.")
    return current_simulator().accounts.require(int(raw))
