"""A local, in-memory HubSpot on its date-versioned paths (versions.py): CRM objects,
associations, owners and account details, with rate limits, faults and webhooks, for one app
installed in several accounts (accounts.py) through OAuth (oauth_api.py), and each account's
recent events in the webhooks journal (journal_api.py).

Start one with `start_in_thread(SimulatorConfig(...))` in tests, or `server.run(...)` from
the CLI; drive and inspect it through the admin API under /_admin (see admin_api.py).
"""

from devstack.hubspot_simulator.app import create_simulator_app
from devstack.hubspot_simulator.config import SimulatorConfig
from devstack.hubspot_simulator.server import SimulatorHandle, run, start_in_thread

__all__ = ["SimulatorConfig", "SimulatorHandle", "create_simulator_app", "run", "start_in_thread"]
