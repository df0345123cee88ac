"""Every port the local stack will listen on, checked before it starts anything.

A busy port found after half the stack is up leaves a developer stopping it, moving one
port and trying again for the next; checking first names them all at once.
"""

from __future__ import annotations

import os

from devstack.processes import port_is_free
from devstack.settings import DevstackSettings

# Port field of DevstackSettings → what listens there, and the setting naming a server to
# use instead (the stack then starts none).
SERVERS = {"postgres_port": ("PostgreSQL", "DATABASE_URL"), "redis_port": ("Redis", "REDIS_URL")}
# The app processes, which --infra-only leaves out.
SERVICES = {"simulator_port": "HubSpot simulator", "web_port": "web", "flower_port": "Flower"}


def needed_ports(only_infra: bool) -> dict[str, str]:
    """Port fields of DevstackSettings this run will listen on → what listens there."""
    servers = {field: what for field, (what, url) in SERVERS.items() if not os.environ.get(url)}
    return servers if only_infra else {**servers, **SERVICES}


def require_free_ports(local: DevstackSettings, only_infra: bool) -> None:
    """Stop with one message naming each busy port and the setting that moves it."""
    busy = [
        f"  port {getattr(local, field)} is already in use ({what}): "
        f"set DEVSTACK_{field.upper()} to another port"
        for field, what in needed_ports(only_infra).items()
        if not port_is_free(getattr(local, field))
    ]
    if busy:
        raise SystemExit(
            "the local stack did not start: ports it needs are taken (by another "
            "`python -m devstack dev`?). Stop what holds them, or move the stack:\n"
            + "\n".join(busy)
        )
