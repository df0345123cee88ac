import typing
from pathlib import Path

import pytest
from pydantic import SecretStr

from shared.settings import Settings, SettingsError, load_settings

PRODUCTION_NAMES = [
    "REDIS_URL",
    "HUBSPOT_CLIENT_SECRET",
    "HUBSPOT_ACCESS_TOKEN",
    "SUPABASE_JWT_SECRET",
    "WEBHOOK_PUBLIC_BASE_URL",
    "DATABASE_URL",
    "LLM_MODEL",
]


def clear(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    for name in names:
        monkeypatch.delenv(name, raising=False)


def test_development_runs_with_no_configuration(monkeypatch):
    clear(monkeypatch, *PRODUCTION_NAMES)
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("ENV_FILE", raising=False)

    settings = load_settings()

    assert settings.redis_url == "redis://127.0.0.1:6390/0"
    assert settings.database_url.startswith("postgresql://")
    assert settings.hubspot_client_secret.get_secret_value()
    assert settings.hubspot_api_base == "https://api.hubapi.com"
    assert settings.llm_model == "local/heuristic"


def test_development_reads_the_env_file_it_is_given(monkeypatch, tmp_path: Path):
    clear(monkeypatch, "REDIS_URL", "HUBSPOT_API_BASE")
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "env"))
    (tmp_path / "env").write_text("REDIS_URL=redis://127.0.0.1:7777/0\n")

    assert load_settings().redis_url == "redis://127.0.0.1:7777/0"


def test_production_ignores_the_env_file(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("REDIS_URL", "redis://prod:6379/0")
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "env"))
    (tmp_path / "env").write_text("REDIS_URL=redis://127.0.0.1:7777/0\n")

    assert load_settings().redis_url == "redis://prod:6379/0"


def test_production_lists_every_missing_setting_in_one_error(monkeypatch):
    clear(monkeypatch, *PRODUCTION_NAMES)
    monkeypatch.setenv("APP_ENV", "production")

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    for name in PRODUCTION_NAMES:
        assert name in message
    assert len(caught.value.problems) == len(PRODUCTION_NAMES)


def test_the_offline_model_runs_in_production_only_when_chosen(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("LLM_MODEL", "local/heuristic")

    assert load_settings().llm_config().model == "local/heuristic"


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("LLM_MODEL", "")
    monkeypatch.setenv("FLOWER_BASIC_AUTH", "")
    monkeypatch.setenv("HUBSPOT_TIMEOUT_SECONDS", "")

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert caught.value.problems == ["LLM_MODEL is required when APP_ENV=production"]
    monkeypatch.setenv("LLM_MODEL", "openai/gpt-4o-mini")
    settings = load_settings()
    assert settings.flower_basic_auth is None
    assert settings.hubspot_timeout_seconds == 10.0


def test_invalid_and_missing_settings_are_reported_together(monkeypatch):
    clear(monkeypatch, "HUBSPOT_CLIENT_SECRET")
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("HUBSPOT_TIMEOUT_SECONDS", "soon")
    monkeypatch.setenv("LOG_LEVEL", "LOUD")

    with pytest.raises(SettingsError) as caught:
        load_settings()

    message = str(caught.value)
    assert "HUBSPOT_TIMEOUT_SECONDS is invalid" in message
    assert "LOG_LEVEL is invalid" in message
    assert "HUBSPOT_CLIENT_SECRET is required when APP_ENV=production" in message


def test_an_unknown_app_env_is_rejected(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")

    with pytest.raises(SettingsError, match="APP_ENV is invalid"):
        load_settings()


def test_supabase_api_can_replace_database_url(monkeypatch):
    clear(monkeypatch, "DATABASE_URL")
    monkeypatch.setenv("SUPABASE_URL", "https://project.supabase.co")
    monkeypatch.setenv("SUPABASE_SERVICE_ROLE_KEY", "service-role-key-value")

    settings = load_settings()

    assert settings.uses_supabase_api
    assert settings.database_url is None


def test_secrets_do_not_show_in_the_settings_repr(monkeypatch):
    settings = load_settings()

    text = repr(settings) + str(settings)
    assert "test-client-secret-5f1c" not in text
    assert "test-access-token-9a7e" not in text
    assert set(settings.secret_values()) >= {"test-client-secret-5f1c", "test-access-token-9a7e"}


def test_the_default_time_limits_nest():
    assert load_settings().timing_problems() == []


@pytest.mark.parametrize(
    ("environment", "problem"),
    [
        (
            {"TASK_TIME_LIMIT_SECONDS": "280"},
            "CLAIM_LEASE_SECONDS (300) must exceed the task's hard time limit, 310 s",
        ),
        (
            {"CLAIM_LEASE_SECONDS": "600"},
            "BROKER_VISIBILITY_TIMEOUT_SECONDS (600) must exceed CLAIM_LEASE_SECONDS (600)",
        ),
    ],
)
def test_time_limits_that_do_not_nest_are_refused_at_start(monkeypatch, environment, problem):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as caught:
        load_settings()

    assert problem in str(caught.value)


def test_longer_limits_that_nest_are_accepted(monkeypatch):
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "60")
    monkeypatch.setenv("TASK_TIME_LIMIT_SECONDS", "240")
    monkeypatch.setenv("CLAIM_LEASE_SECONDS", "400")
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT_SECONDS", "900")

    settings = load_settings()

    assert settings.timing_problems() == []
    assert settings.task_hard_time_limit_seconds == 270


def environment_samples() -> list[tuple[str, str, object]]:
    """For every setting: (NAME, the string a deployment puts in the environment, the value
    the setting must then hold). Derived from the fields, so a new setting is covered too."""
    samples = []
    for name, field in Settings.model_fields.items():
        for text, value in _samples_for(field.annotation, field.default):
            samples.append((name.upper(), text, value))
    return samples


def _samples_for(annotation: object, default: object) -> list[tuple[str, object]]:
    options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) is typing.Literal:
        return [(str(option), option) for option in options]
    kind = options[0] if options else annotation
    if kind is SecretStr:
        return [("secret-from-the-environment-0123", "secret-from-the-environment-0123")]
    if kind is bool:
        return [("true", True), ("false", False)]
    if kind in (int, float) or (kind is str and default is not None):
        return [(str(default), default)]
    if kind is Path:
        return [("/srv/hubspot-ai/somewhere", Path("/srv/hubspot-ai/somewhere"))]
    return [("https://from-the-environment.example", "https://from-the-environment.example")]


# Settings a value needs beside it to be a valid configuration at all.
COMPANIONS = {
    ("HUBSPOT_AUTH", "oauth"): {
        "HUBSPOT_CLIENT_ID": "client-id-from-the-environment",
        "HUBSPOT_TOKEN_KEYS": "ZGV2LXRva2VuLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=",
    }
}


@pytest.mark.parametrize(("name", "text", "expected"), environment_samples())
def test_every_setting_is_read_from_the_environment(monkeypatch, name, text, expected):
    monkeypatch.setenv(name, text)
    for companion, value in COMPANIONS.get((name, text), {}).items():
        monkeypatch.setenv(companion, value)

    settings = load_settings()

    value = getattr(settings, name.lower())
    assert (value.get_secret_value() if isinstance(value, SecretStr) else value) == expected


def test_oauth_needs_the_apps_client_id_and_keys_for_its_tokens(monkeypatch):
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")

    with pytest.raises(SettingsError) as refused:
        load_settings()

    assert {p.split(" is required")[0] for p in refused.value.problems} == {
        "HUBSPOT_CLIENT_ID",
        "HUBSPOT_TOKEN_KEYS",
    }


def test_oauth_acts_for_each_install_with_its_own_tokens_and_needs_no_static_one(monkeypatch):
    monkeypatch.setenv("HUBSPOT_AUTH", "oauth")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", "client-id")
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", "a-key")
    clear(monkeypatch, *PRODUCTION_NAMES)
    monkeypatch.setenv("APP_ENV", "production")

    with pytest.raises(SettingsError) as refused:
        load_settings()

    assert "HUBSPOT_ACCESS_TOKEN" not in str(refused.value)
    assert "HUBSPOT_CLIENT_SECRET" in str(refused.value)


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_the_minimum_signature_version_is_set_through_the_environment(monkeypatch, version):
    monkeypatch.setenv("WEBHOOK_MIN_SIGNATURE_VERSION", version)

    assert load_settings().webhook_min_signature_version == int(version)


def test_v3_is_the_minimum_signature_version_unless_lowered():
    assert load_settings().webhook_min_signature_version == 3


@pytest.mark.parametrize("version", ["v3", "2026-3", "latest", "2026-03/../v3"])
def test_an_api_version_that_is_not_a_date_is_refused_at_start(monkeypatch, version):
    monkeypatch.setenv("HUBSPOT_API_VERSION", version)

    with pytest.raises(SettingsError, match="HUBSPOT_API_VERSION is invalid"):
        load_settings()
