"""What a worker process needs to run the pipeline, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import redis
from celery import Celery

from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import HubSpotClient, build_client
from shared.llm.budget import SharedLLMBudget
from shared.llm.config import LLMConfig
from shared.metrics import Metrics
from shared.settings import Settings, get_settings
from shared.store import Store, build_store


class Dispatcher(Protocol):
    """Puts a task on a queue by name (the worker's Celery app in production)."""

    def __call__(
        self, task_name: str, args: list[Any], queue: str, countdown: float | None = None
    ) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    redis: redis.Redis
    hubspot: HubSpotClient
    account: AccountDirectory
    store: Store
    llm: LLMConfig
    llm_budget: SharedLLMBudget | None
    dispatch: Dispatcher
    metrics: Metrics


def build_runtime(settings: Settings, dispatch: Dispatcher) -> Runtime:
    client = redis.Redis.from_url(
        settings.redis_url or "", socket_timeout=5, socket_connect_timeout=2
    )
    hubspot = build_client(settings, client)
    return Runtime(
        settings=settings,
        redis=client,
        hubspot=hubspot,
        account=AccountDirectory(client, hubspot),
        store=build_store(settings),
        llm=settings.llm_config(),
        llm_budget=llm_budget_for(settings, client),
        dispatch=dispatch,
        metrics=Metrics(client),
    )


def llm_budget_for(settings: Settings, client: redis.Redis) -> SharedLLMBudget | None:
    """The fleet's shared LLM budget, when the provider's limits are set."""
    rpm, tpm = settings.llm_requests_per_minute, settings.llm_tokens_per_minute
    return SharedLLMBudget(client, rpm, tpm) if rpm or tpm else None


def dispatcher_for(app: Celery) -> Dispatcher:
    """Send tasks by name through ``app`` (the worker's app, or a broker-only producer)."""

    def dispatch(
        task_name: str, args: list[Any], queue: str, countdown: float | None = None
    ) -> None:
        app.send_task(task_name, args=args, queue=queue, countdown=countdown)

    return dispatch


@lru_cache(maxsize=1)
def get_runtime() -> Runtime:
    """The worker process's runtime; built on first use, after the pool has forked."""
    from celery import current_app

    return build_runtime(get_settings(), dispatcher_for(current_app))
