"""Queue and task names shared by the web process (producer) and the workers (consumers).

The web process publishes by task name through a broker-only Celery app, so it never
imports the worker code (and with it the LLM stack).
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from shared.broker import use_for_redis_urls
from shared.settings import Settings

ACTIVITIES_QUEUE = "activities"
APPLY_QUEUE = "apply"
INGEST_EVENTS_TASK = "workers.ingest_events"
FETCH_PENDING_TASK = "workers.fetch_pending"
PROCESS_ACTIVITY_TASK = "workers.process_activity"
APPLY_JOB_TASK = "workers.apply_job"
RECONCILE_TASK = "workers.reconcile"
RESUME_PARKED_TASK = "workers.resume_parked"
READ_JOURNALS_TASK = "workers.read_journals"
PURGE_ACCOUNTS_TASK = "workers.purge_accounts"

# Fail fast when Redis is down or slow: HubSpot allows 5 s per delivery, and a quick 503
# gets the delivery retried, while a hung request times out with nothing to show.
BROKER_TIMEOUTS: dict[str, Any] = {
    "socket_timeout": 1.0,
    "socket_connect_timeout": 1.0,
    "max_retries": 0,
}


def make_producer(settings: Settings) -> Celery:
    use_for_redis_urls()  # publishes through one client per channel (shared/broker.py)
    producer = Celery("hubspot_ai_producer", broker=settings.redis_url, set_as_current=False)
    producer.conf.update(
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options=BROKER_TIMEOUTS,
        broker_connection_timeout=1.0,
        broker_connection_retry=False,
    )
    return producer


def enqueue_apply(producer: Celery, job_id: str) -> None:
    """Hand an accepted result to the apply workers (after its job row was committed)."""
    producer.send_task(
        APPLY_JOB_TASK, args=[job_id], queue=APPLY_QUEUE, retry=False, ignore_result=True
    )


def enqueue_ingest(producer: Celery, events: list[dict[str, Any]]) -> str:
    """One message, one LPUSH, for all accepted events of a delivery.

    The message headers get a short argsrepr: Celery would otherwise build a readable repr of
    every event (CPU on the request path, a bigger message, customer text in worker logs).
    """
    result = producer.send_task(
        INGEST_EVENTS_TASK,
        args=[events],
        queue=ACTIVITIES_QUEUE,
        retry=False,
        ignore_result=True,
        argsrepr=f"<{len(events)} events>",
        kwargsrepr="{}",
    )
    return str(result.id)
