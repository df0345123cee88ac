"""The Procfile and docker-compose.yml stay consistent with each other and with settings."""

import shlex

import yaml

from devstack.procfile import read_procfile
from shared.cli import _build_parser
from shared.settings import PROJECT_ROOT, Settings


def procfile() -> dict[str, str]:
    return read_procfile(PROJECT_ROOT / "Procfile")


def compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def test_release_runs_the_migrations():
    assert procfile()["release"] == "hubspot-ai migrate"


def test_every_procfile_cli_command_exists():
    subcommands = _build_parser()._subparsers._group_actions[0].choices
    for command in procfile().values():
        words = shlex.split(command)
        if words[0] == "hubspot-ai":
            assert words[1] in subcommands


def test_compose_runs_the_procfile_commands():
    services = compose()["services"]
    for name, command in procfile().items():
        assert command_text(services[name]) == command


def test_compose_redis_persists_with_append_only_file():
    redis = compose()["services"]["redis"]
    assert "--appendonly yes" in command_text(redis)
    assert redis["volumes"]


def test_compose_environment_names_are_real_settings():
    known = {name.upper() for name in Settings.model_fields}
    for name, service in compose()["services"].items():
        if "build" not in service:
            continue
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name} sets unknown settings {unknown}"


def test_compose_requires_the_production_secrets():
    environment = compose()["services"]["release"]["environment"]
    for name in ("HUBSPOT_CLIENT_SECRET", "HUBSPOT_ACCESS_TOKEN", "SUPABASE_JWT_SECRET"):
        assert ":?" in environment[name], f"{name} must fail when unset"


def test_the_local_postgres_is_optional():
    assert compose()["services"]["postgres"]["profiles"] == ["local-postgres"]
