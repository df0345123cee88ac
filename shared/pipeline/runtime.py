"""What a worker process needs to run the pipeline, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

import redis
from celery import Celery

from shared.account_keys import AccountCache
from shared.accounts.clients import AccountClients
from shared.accounts.tokens import build_account_tokens
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
    """``hubspot`` and ``account`` are the static token's client and details until
    ``for_account`` gives the runtime of one account (``portal_id``): work on an account's
    activities is done only through that."""

    settings: Settings
    redis: redis.Redis
    hubspot: HubSpotClient
    account: AccountDirectory
    store: Store
    llm: LLMConfig
    llm_budget: SharedLLMBudget | None
    dispatch: Dispatcher
    metrics: Metrics
    clients: AccountClients
    portal_id: int | None = None

    def for_account(self, portal_id: int) -> Runtime:
        """This runtime acting for one HubSpot account: its client, details and Redis keys.
        Raises ``AccountUnavailable`` for an account the service does not serve, and with
        static auth ``HubSpotError`` while HubSpot has never said which account the token
        reaches."""
        return replace(
            self,
            hubspot=self.clients.for_account(portal_id),
            account=self.clients.directory_for(portal_id),
            portal_id=portal_id,
        )

    def naming(self, portal_id: int) -> Runtime:
        """This runtime naming the account (its Redis keys, its rows) without taking its
        client: for work that makes no HubSpot call for it, such as queueing its ids or
        processing a fetched activity, which must not wait on the account's token."""
        return replace(self, portal_id=portal_id)

    def for_token_account(self) -> Runtime:
        """The static token's account: work queued before every task named its account was
        all that account's."""
        return self.for_account(self.token_account())

    def token_account(self) -> int:
        """The static token's account id (from Redis, else HubSpot)."""
        return self.clients.directory.details().portal_id

    @property
    def portal(self) -> int:
        if self.portal_id is None:
            raise RuntimeError("this runtime acts for no account; take for_account(portal_id)")
        return self.portal_id

    @property
    def cache(self) -> AccountCache:
        """Redis as the account's cache."""
        return AccountCache(self.redis, self.portal)


def build_runtime(settings: Settings, dispatch: Dispatcher) -> Runtime:
    client = redis.Redis.from_url(
        settings.redis_url or "", socket_timeout=5, socket_connect_timeout=2
    )
    hubspot = build_client(settings, client)
    directory = AccountDirectory(client, hubspot)
    store = build_store(settings)
    metrics = Metrics(client)
    tokens = (
        build_account_tokens(settings, store, client, metrics)
        if settings.hubspot_auth == "oauth"
        else None
    )
    return Runtime(
        settings=settings,
        redis=client,
        hubspot=hubspot,
        account=directory,
        store=store,
        llm=settings.llm_config(),
        llm_budget=llm_budget_for(settings, client),
        dispatch=dispatch,
        metrics=metrics,
        clients=AccountClients(settings, client, hubspot, directory, tokens),
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
