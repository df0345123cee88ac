"""Thin tasks: unpack ids and JSON, call into shared.pipeline. No logic lives here."""

from __future__ import annotations

from functools import partial
from typing import Any

from celery import shared_task

from shared.accounts.cached import drop_account_keys
from shared.accounts.purge import purge_due_accounts
from shared.apply.jobs import apply_job as apply
from shared.pipeline.catch_up import read_journals as read_all_journals
from shared.pipeline.fetching import fetch_pending as fetch_pending_activities
from shared.pipeline.ingest import ingest_events as ingest
from shared.pipeline.outages import outage_wait_seconds, through_redis_outages
from shared.pipeline.parking import resume_parked as resume
from shared.pipeline.processing import process_activity as process
from shared.pipeline.reconcile import reconcile
from shared.pipeline.runtime import get_runtime
from shared.queues import (
    APPLY_JOB_TASK,
    FETCH_PENDING_TASK,
    INGEST_EVENTS_TASK,
    PROCESS_ACTIVITY_TASK,
    PURGE_ACCOUNTS_TASK,
    READ_JOURNALS_TASK,
    RECONCILE_TASK,
    RESUME_PARKED_TASK,
)


# Ingest and fetch resume by task id, so they run again in place while Redis restarts.
@shared_task(name=INGEST_EVENTS_TASK, bind=True)
def ingest_events(self: Any, events: list[dict[str, Any]]) -> None:
    rt = get_runtime()
    through_redis_outages(
        lambda: ingest(rt, events, task_id=self.request.id), outage_wait_seconds(rt.settings)
    )


# An account's id is the last argument: messages queued before tasks named it have none.
@shared_task(name=FETCH_PENDING_TASK, bind=True)
def fetch_pending(self: Any, object_type: str, portal_id: int | None = None) -> int:
    rt = get_runtime()
    return through_redis_outages(
        lambda: fetch_pending_activities(rt, object_type, self.request.id, portal_id),
        outage_wait_seconds(rt.settings),
    )


@shared_task(name=PROCESS_ACTIVITY_TASK)
def process_activity(
    run_id: str,
    activity: dict[str, Any],
    time_zone: str | None = None,
    portal_id: int | None = None,
) -> str:
    return process(get_runtime(), run_id, activity, time_zone, portal_id)


@shared_task(name=APPLY_JOB_TASK)
def apply_job(job_id: str) -> str:
    return apply(get_runtime(), job_id)


@shared_task(name=RECONCILE_TASK)
def reconcile_sweep() -> int:
    result = reconcile(get_runtime())
    return result.missing if result else 0


@shared_task(name=RESUME_PARKED_TASK)
def resume_parked() -> int:
    return resume(get_runtime())


@shared_task(name=READ_JOURNALS_TASK)
def read_journals() -> int:
    report = read_all_journals(get_runtime())
    return report.crm_events if report else 0


@shared_task(name=PURGE_ACCOUNTS_TASK)
def purge_accounts() -> int:
    rt = get_runtime()
    return len(purge_due_accounts(rt.store, partial(drop_account_keys, rt.redis), rt.metrics))
