"""Typed settings, read from the environment in exactly one place.

In development every setting has a default that points at a local stack, and a dotenv
file named by ``ENV_FILE`` (if any) fills in what the environment does not set. In any
other environment a missing or invalid setting stops start-up with one message that lists
them all.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.llm.config import LLMConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent

AppEnv = Literal["development", "test", "production"]

DEFAULT_CLAIM_LEASE_SECONDS = 300
# Between Celery's soft time limit (the task is told to stop) and its hard one (it is killed).
HARD_LIMIT_GRACE_SECONDS = 30

# Used only when APP_ENV=development, so a fresh clone runs with no configuration.
# Anywhere else each of these must be set.
DEVELOPMENT_DEFAULTS: dict[str, str] = {
    "redis_url": "redis://127.0.0.1:6390/0",
    "database_url": "postgresql://postgres@127.0.0.1:5439/hubspot_ai",
    "hubspot_client_secret": "dev-client-secret",
    "hubspot_access_token": "dev-access-token",
    "hubspot_client_id": "dev-client-id",
    # A fixed Fernet key so local OAuth installs survive restarts; never used in production.
    "hubspot_token_keys": "ZGV2LXRva2VuLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=",
    "supabase_jwt_secret": "dev-jwt-secret-change-me-in-production-0123456789",
    "webhook_public_base_url": "http://127.0.0.1:8000",
    # The offline model: a deployment names its model, even when it chooses this one.
    "llm_model": "local/heuristic",
}


class SettingsError(RuntimeError):
    """Raised at start-up when the environment cannot run the service."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"Invalid configuration ({len(problems)} problem(s)):\n{lines}")


class Settings(BaseSettings):
    """Every setting of the service; field names are the environment names, lower-cased."""

    # An empty variable (`NAME=` in .env) counts as unset: the default applies, and a
    # required setting is reported missing instead of running with an empty secret.
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False, env_ignore_empty=True)

    app_env: AppEnv = "development"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    redis_url: str | None = None
    database_url: str | None = None

    supabase_url: str | None = None
    supabase_service_role_key: SecretStr | None = None
    supabase_anon_key: SecretStr | None = None
    supabase_jwt_secret: SecretStr | None = None
    # Checked against the token's iss claim when set (e.g. https://<project>.supabase.co/auth/v1).
    supabase_jwt_issuer: str | None = None

    hubspot_client_secret: SecretStr | None = None
    # static: one account, acted for with HUBSPOT_ACCESS_TOKEN. oauth: accounts are installed
    # through /oauth/hubspot/install, each acted for with its own tokens, kept encrypted and
    # fresh (HUBSPOT_ACCESS_TOKEN, if set, only serves work stored before rows named their
    # account: see the README's "Many accounts").
    hubspot_auth: Literal["static", "oauth"] = "static"
    hubspot_access_token: SecretStr | None = None
    hubspot_client_id: str | None = None
    # Fernet keys encrypting stored OAuth tokens, comma-separated, newest first: the first
    # encrypts, all decrypt (rotation: see shared/accounts/cipher.py).
    hubspot_token_keys: SecretStr | None = None
    hubspot_authorize_url: str = "https://app.hubspot.com/oauth/authorize"
    # After an uninstall, the account's stored activity text and drafts are purged this late.
    hubspot_uninstall_grace_days: int = Field(default=30, ge=0)
    hubspot_api_base: str = "https://api.hubapi.com"
    # HubSpot's date-based API version: every CRM call goes to /…/{version}/…. Versions ship
    # each March and September and are supported for 18 months.
    hubspot_api_version: str = Field(default="2026-03", pattern=r"^\d{4}-\d{2}$")
    hubspot_timeout_seconds: float = Field(default=10.0, gt=0)
    # HubSpot's burst limit for the app's tier (100 Free/Starter, 190 Pro/Enterprise, 250 with
    # the API add-on), shared by every worker through Redis.
    hubspot_burst_limit: int = Field(default=100, gt=0)
    hubspot_batch_size: int = Field(default=100, ge=1, le=100)
    hubspot_max_attempts: int = Field(default=5, ge=1)

    webhook_public_base_url: str | None = None
    # Behind this many reverse proxies the request URL is rebuilt from X-Forwarded-* (only
    # when no public base URL is configured). 0: forwarded headers are never trusted.
    webhook_trusted_proxies: int = Field(default=0, ge=0)
    # Developer-platform apps sign with v3, the only version with a timestamp: v1 and v2
    # deliveries can be replayed for as long as the secret lives. Lower only for a legacy app
    # that still signs with them. (An int, not Literal[1, 2, 3]: from the environment the
    # value is a string, which an int Literal never matches.)
    webhook_min_signature_version: int = Field(default=3, ge=1, le=3)
    webhook_max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    # Secrets still accepted while rotating HubSpot's client secret (comma-separated).
    hubspot_previous_client_secrets: SecretStr | None = None
    llm_model: str | None = None
    llm_fallbacks: str = ""  # comma-separated litellm model names, tried in order
    llm_timeout_seconds: float = Field(default=30.0, gt=0)
    llm_max_attempts: int = Field(default=3, ge=1)
    # Room for two or three drafts and the dates in JSON; a low temperature keeps the dates
    # and facts steady while the drafts still differ in tone.
    llm_max_tokens: int = Field(default=1500, ge=200)
    llm_temperature: float = Field(default=0.3, ge=0.0, le=2.0)
    # The provider account's limits, shared by every worker through Redis; 0: no limit kept.
    llm_requests_per_minute: int = Field(default=0, ge=0)
    llm_tokens_per_minute: int = Field(default=0, ge=0)
    llm_api_base: str | None = None
    llm_api_key: SecretStr | None = None
    # Test and benchmark knob: the local model sleeps this long per call, like a remote one.
    llm_simulated_latency_ms: int = Field(default=0, ge=0)
    enable_opportunities: bool = False

    # How long work may take, each bound inside the next (checked at start): every call of a
    # task inside the task time limit (shared.deadline cuts each call's timeout to what is
    # left), the task's hard limit inside the claim lease after which another worker may take
    # the run over, and the lease inside the broker's visibility timeout after which an
    # unacknowledged message is delivered again.
    task_time_limit_seconds: int = Field(default=120, ge=10)
    claim_lease_seconds: int = Field(default=DEFAULT_CLAIM_LEASE_SECONDS, ge=30)
    broker_visibility_timeout_seconds: int = Field(default=600, ge=60)

    # Flower's own setting (user:password[,user:password]); `hubspot-ai flower` refuses to
    # start without it outside development.
    flower_basic_auth: SecretStr | None = None

    migrations_dir: Path = PROJECT_ROOT / "migrations"

    def model_post_init(self, __context: object) -> None:
        if self.app_env != "development":
            return
        for name, value in DEVELOPMENT_DEFAULTS.items():
            if getattr(self, name) is None:
                field_type = type(self).model_fields[name].annotation
                wrapped = SecretStr(value) if "SecretStr" in str(field_type) else value
                object.__setattr__(self, name, wrapped)

    def missing_settings(self) -> list[str]:
        """Names of the settings this environment needs but does not have."""
        required = ["redis_url", "hubspot_client_secret", "supabase_jwt_secret", "llm_model"]
        if self.hubspot_auth == "oauth":
            required += ["hubspot_client_id", "hubspot_token_keys"]
        else:
            required += ["hubspot_access_token"]
        missing = [name.upper() for name in required if getattr(self, name) is None]
        if self.webhook_public_base_url is None and not self.webhook_trusted_proxies:
            missing.append("WEBHOOK_PUBLIC_BASE_URL (or WEBHOOK_TRUSTED_PROXIES)")
        if self.database_url is None and not self.uses_supabase_api:
            missing.append("DATABASE_URL (or SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY)")
        return missing

    @property
    def supabase_jwks_url(self) -> str | None:
        """Where a Supabase project publishes its token-signing keys."""
        base = self.supabase_url.rstrip("/") if self.supabase_url else None
        return f"{base}/auth/v1/.well-known/jwks.json" if base else None

    @property
    def uses_supabase_api(self) -> bool:
        return self.supabase_url is not None and self.supabase_service_role_key is not None

    def llm_config(self) -> LLMConfig:
        return LLMConfig(
            model=self.llm_model or "",  # set: load_settings refuses to start without it
            fallbacks=tuple(name.strip() for name in self.llm_fallbacks.split(",") if name.strip()),
            timeout_seconds=self.llm_timeout_seconds,
            max_attempts=self.llm_max_attempts,
            max_tokens=self.llm_max_tokens,
            temperature=self.llm_temperature,
            api_base=self.llm_api_base,
            api_key=self.llm_api_key.get_secret_value() if self.llm_api_key else None,
            enable_opportunities=self.enable_opportunities,
            simulated_latency_ms=self.llm_simulated_latency_ms,
        )

    @property
    def task_hard_time_limit_seconds(self) -> int:
        return self.task_time_limit_seconds + HARD_LIMIT_GRACE_SECONDS

    def timing_problems(self) -> list[str]:
        """Time limits that do not nest: a slow run would be killed, or run twice."""
        problems = []
        if self.task_hard_time_limit_seconds >= self.claim_lease_seconds:
            problems.append(
                f"CLAIM_LEASE_SECONDS ({self.claim_lease_seconds}) must exceed the task's hard "
                f"time limit, {self.task_hard_time_limit_seconds} s (TASK_TIME_LIMIT_SECONDS + "
                f"{HARD_LIMIT_GRACE_SECONDS})"
            )
        if self.claim_lease_seconds >= self.broker_visibility_timeout_seconds:
            problems.append(
                f"BROKER_VISIBILITY_TIMEOUT_SECONDS ({self.broker_visibility_timeout_seconds}) "
                f"must exceed CLAIM_LEASE_SECONDS ({self.claim_lease_seconds})"
            )
        return problems

    def webhook_secrets(self) -> list[str]:
        """The current client secret first, then any still accepted during a rotation."""
        current = (
            [self.hubspot_client_secret.get_secret_value()] if self.hubspot_client_secret else []
        )
        previous = self.hubspot_previous_client_secrets
        older = previous.get_secret_value().split(",") if previous else []
        return current + [secret.strip() for secret in older if secret.strip()]

    def token_keys(self) -> list[str]:
        """The keys encrypting stored OAuth tokens, newest first."""
        keys = self.hubspot_token_keys.get_secret_value() if self.hubspot_token_keys else ""
        return [key.strip() for key in keys.split(",") if key.strip()]

    def secret_values(self) -> list[str]:
        """Every secret this process holds, so logging can scrub them from any text."""
        secrets = [
            value.get_secret_value()
            for value in (
                self.supabase_service_role_key,
                self.supabase_anon_key,
                self.supabase_jwt_secret,
                self.hubspot_access_token,
                self.hubspot_token_keys,
                self.llm_api_key,
                self.flower_basic_auth,
            )
            if value is not None
        ]
        secrets += self.webhook_secrets() + self.token_keys()
        return [secret for secret in secrets if len(secret) >= 6]


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, raising one SettingsError listing every problem."""
    env_file = _env_file_for(str(overrides.get("app_env") or os.environ.get("APP_ENV", "")))
    problems: list[str] = []
    try:
        settings = Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()]
        invalid = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        defaults = {name: Settings.model_fields[name].default for name in invalid}
        settings = Settings(_env_file=env_file, **{**overrides, **defaults})
    if settings.app_env != "development":
        problems += [
            f"{name} is required when APP_ENV={settings.app_env}"
            for name in settings.missing_settings()
        ]
    problems += settings.timing_problems()
    if problems:
        raise SettingsError(problems)
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()


def _env_file_for(app_env: str) -> Path | None:
    """Only development reads a dotenv file (ENV_FILE); deployments use real env vars."""
    name = os.environ.get("ENV_FILE")
    if name and app_env in ("", "development") and Path(name).is_file():
        return Path(name)
    return None


def _describe(error: ErrorDetails) -> str:
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    return f"{name} is invalid: {error['msg']}"
