"""The Procfile, docker-compose.yml and .env.example stay consistent with each other and
with settings."""

import re
import shlex
from pathlib import Path

import yaml
from pydantic import TypeAdapter
from pydantic.fields import FieldInfo

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
    for name in (
        "HUBSPOT_CLIENT_SECRET",
        "HUBSPOT_ACCESS_TOKEN",
        "SUPABASE_JWT_SECRET",
        "LLM_MODEL",
    ):
        assert ":?" in environment[name], f"{name} must fail when unset"


def test_the_local_postgres_is_optional():
    assert compose()["services"]["postgres"]["profiles"] == ["local-postgres"]


def app_services() -> dict[str, dict]:
    """The services that run the image (the rest are Redis and PostgreSQL)."""
    return {name: service for name, service in compose()["services"].items() if "build" in service}


def healthcheck_text(service: dict) -> str:
    """The check's command, less compose's CMD / CMD-SHELL marker."""
    return " ".join(service["healthcheck"]["test"][1:])


def test_compose_reads_the_env_file_everywhere():
    for name, service in app_services().items():
        assert service["env_file"] == ".env", name


def test_compose_never_chooses_the_model():
    model = compose()["services"]["release"]["environment"]["LLM_MODEL"]
    assert ":?" in model
    assert "local/heuristic" not in model.split(":?")[0]


def test_compose_starts_each_service_after_its_dependencies_are_healthy():
    services = compose()["services"]
    for name, service in app_services().items():
        for dependency, rule in service["depends_on"].items():
            if dependency == "release":
                assert rule["condition"] == "service_completed_successfully", name
            else:
                assert rule["condition"] == "service_healthy", (name, dependency)
                assert services[dependency]["healthcheck"]["test"], dependency
    for name in ("web", "worker", "apply_worker", "beat"):
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy", name
        assert "release" in services[name]["depends_on"], f"{name} must wait for the migrations"


def test_compose_restarts_and_checks_every_long_running_service():
    for name, service in compose()["services"].items():
        if name == "release":
            assert service["restart"] == "no"
            continue
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name


def test_compose_checks_the_web_process_readiness_with_a_timeout():
    check = healthcheck_text(compose()["services"]["web"])
    assert "/readyz" in check
    assert "timeout=" in check


def test_compose_pings_each_worker_by_its_own_name():
    for name in ("worker", "apply_worker"):
        service = compose()["services"][name]
        node = command_text(service).split("--hostname ")[1].split("@")[0]
        check = healthcheck_text(service)
        assert "inspect ping" in check
        assert f"--destination {node}@$$HOSTNAME" in check, name


def test_compose_gives_each_published_port_its_own_variable():
    owners: dict[str, str] = {}
    for name, service in compose()["services"].items():
        for variable in re.findall(r"\$\{(\w+)", " ".join(service.get("ports", []))):
            assert owners.setdefault(variable, name) == name, f"{variable} used twice"
            bound = "${" + variable + ":-"
            assert bound in command_text(service), f"{name} listens on another port"
    assert set(owners.values()) == {"web", "flower"}


def env_example() -> dict[str, tuple[str, bool]]:
    """NAME: (the value shown, whether the line is active rather than commented out)."""
    entries: dict[str, tuple[str, bool]] = {}
    text = (PROJECT_ROOT / ".env.example").read_text()
    for commented, name, value in re.findall(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$", text, re.M):
        assert name not in entries, f"{name} is listed twice"
        entries[name] = (value, not commented)
    return entries


def deployment_settings() -> dict[str, FieldInfo]:
    return {name.upper(): field for name, field in Settings.model_fields.items()}


def test_the_env_example_lists_every_setting_and_nothing_else():
    assert sorted(env_example()) == sorted(deployment_settings())


def test_the_env_example_leaves_every_secret_empty():
    for name, (value, _) in env_example().items():
        if "SecretStr" in str(deployment_settings()[name].annotation):
            assert value == "", name


def test_the_env_example_shows_the_defaults_it_leaves_commented_out():
    fields = deployment_settings()
    for name, (value, active) in env_example().items():
        default = fields[name].default
        if active:
            continue
        if default is None or isinstance(default, Path):  # none, or one of this machine's
            assert value == "", name
        else:
            assert TypeAdapter(fields[name].annotation).validate_python(value) == default, name


def test_the_env_example_sets_what_production_requires():
    entries = env_example()
    # Built from the defaults alone, not from the environment the tests run in.
    required = Settings.model_construct(app_env="production").missing_settings()
    for name in (text.split()[0] for text in required):
        assert entries[name][1], f"{name} is required outside development: uncomment it"
    assert entries["APP_ENV"] == ("production", True)
