"""The Celery app: JSON only, late acks, one message at a time, time budgets, two queues.

Run a processing worker with ``celery -A workers.celery_app worker -Q activities`` and an
apply worker with ``-Q apply`` (see the Procfile). Celery does not configure logging:
structlog does, and every line of a task carries its task id.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task, signals

from shared.broker import use_for_redis_urls
from shared.deadline import task_budget
from shared.logging import bind_ids, clear_ids, configure_logging
from shared.queues import (
    ACTIVITIES_QUEUE,
    BROKER_TIMEOUTS,
    PURGE_ACCOUNTS_TASK,
    READ_JOURNALS_TASK,
    RECONCILE_TASK,
    RESUME_PARKED_TASK,
)
from shared.settings import Settings, get_settings

# The time limits, the claim lease and the visibility timeout are settings, checked to nest
# (see Settings.timing_problems). The soft limit is also each task's budget (BudgetedTask),
# the limit that holds whatever the pool; prefork pools enforce Celery's limits as well.
# How often what webhooks missed is caught up: the reconcile sweep, or the journals.
RECONCILE_EVERY = 300.0
# How soon after HubSpot's daily reset the work parked for it starts again.
RESUME_PARKED_EVERY = 60.0
# Uninstalled accounts are purged within this of their grace period's end.
PURGE_ACCOUNTS_EVERY = 3600.0


class BudgetedTask(Task):
    """Every task runs inside its time budget, which bounds each call it makes: the threads
    pool cannot enforce Celery's own time limits (see shared.deadline)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with task_budget(self.app.conf.task_soft_time_limit):
            return super().__call__(*args, **kwargs)


def create_celery(settings: Settings) -> Celery:
    # kombu's Redis transport, with channels that survive the broker dying mid-close (see
    # shared/broker.py): without it a broker restart can stop the worker.
    use_for_redis_urls()
    app = Celery("hubspot_ai", include=["workers.tasks"], task_cls=BudgetedTask)
    app.conf.update(
        broker_url=settings.redis_url,
        broker_transport_options={
            **BROKER_TIMEOUTS,
            "max_retries": 3,
            "visibility_timeout": settings.broker_visibility_timeout_seconds,
        },
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_time_limit_seconds,
        task_time_limit=settings.task_hard_time_limit_seconds,
        task_default_queue=ACTIVITIES_QUEUE,
        worker_hijack_root_logger=False,
        worker_send_task_events=True,
        # `celery beat` (Procfile: beat) sends these.
        beat_schedule={
            **catch_up_schedule(settings),
            "resume-parked": _every(RESUME_PARKED_TASK, RESUME_PARKED_EVERY),
            "purge-accounts": _every(PURGE_ACCOUNTS_TASK, PURGE_ACCOUNTS_EVERY),
        },
        task_send_sent_event=True,
    )
    return app


def catch_up_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """The safety net for events webhooks missed. OAuth installs read each install's
    webhooks journal, which also reports uninstalls; a static install has none, and its
    sweep searches HubSpot for what changed. The choice is made here, once, so neither task
    asks which mode it is in and the schedule shows what runs."""
    if settings.hubspot_auth == "oauth":
        return {"read-journals": _every(READ_JOURNALS_TASK, RECONCILE_EVERY)}
    return {"reconcile": _every(RECONCILE_TASK, RECONCILE_EVERY)}


def _every(task: str, seconds: float) -> dict[str, Any]:
    # A run not started before the next one is due is dropped: the next one does its work.
    return {
        "task": task,
        "schedule": seconds,
        "options": {"queue": ACTIVITIES_QUEUE, "expires": seconds},
    }


@signals.setup_logging.connect
def _use_structlog(**_: Any) -> None:
    # Connecting to this signal is what stops Celery from installing its own handlers.
    configure_logging(get_settings())
    # Celery's per-task "received"/"succeeded" lines repeat every argument, customer text
    # included; our own lines say what happened to each run. Failures still show.
    for name in ("celery.worker.strategy", "celery.app.trace"):
        logging.getLogger(name).setLevel(logging.WARNING)


@signals.task_prerun.connect
def _bind_task_ids(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    clear_ids()
    bind_ids(task_id=task_id, task_name=getattr(task, "name", None))


@signals.task_postrun.connect
def _clear_task_ids(**_: Any) -> None:
    clear_ids()


app = create_celery(get_settings())
