"""The local stack's own settings (``DEVSTACK_*``): where it keeps its files, which ports it takes.

How development processes find the addresses the stack chose: ``python -m devstack dev``
gives them to its children in their environment and writes them to ``<DEVSTACK_DIR>/env``.
The service knows nothing of the stack, only a generic ``ENV_FILE`` (a dotenv file it reads
in development), so every ``python -m devstack`` command points ``ENV_FILE`` at that file
unless it is set, and a service command run by hand against the stack names it too:
``ENV_FILE=.devstack/env hubspot-ai replay``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import PROJECT_ROOT


class DevstackSettings(BaseSettings):
    """Field names are the environment names without their ``DEVSTACK_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="DEVSTACK_", extra="ignore")

    dir: Path = PROJECT_ROOT / ".devstack"
    postgres_port: int = 5439
    redis_port: int = 6390
    simulator_port: int = 8090
    web_port: int = 8000
    flower_port: int = 5555

    @property
    def env_file(self) -> Path:
        """The addresses of the running stack, as ``NAME=value`` lines."""
        return self.dir / "env"
