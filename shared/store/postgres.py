"""RunStore over a direct Postgres connection (psycopg, pooled)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from shared.hubspot.models import Activity
from shared.store.base import DEFAULT_LEASE_SECONDS, QueuedRun, RunResults, input_notes


class PostgresStore:
    def __init__(self, database_url: str, max_connections: int = 8) -> None:
        self.pool = ConnectionPool(
            database_url,
            min_size=1,
            max_size=max_connections,
            kwargs={"autocommit": True, "connect_timeout": 10},
            timeout=30,
            open=True,
        )

    def close(self) -> None:
        self.pool.close()

    def queue_run(self, activity: Activity, retry_failed: bool = False) -> QueuedRun:
        return self._queue(
            activity.id,
            activity.type,
            activity.version,
            activity.owner_id,
            input_notes(activity),
            retry_failed,
        )

    def queue_gone(self, activity_id: str, activity_type: str, version: str) -> QueuedRun:
        return self._queue(activity_id, activity_type, version, None, None, False)

    def claim_run(self, log_id: uuid.UUID, lease_seconds: int = DEFAULT_LEASE_SECONDS) -> bool:
        return bool(self._scalar("select public.app_claim_run(%s, %s)", (log_id, lease_seconds)))

    def complete_run(self, log_id: uuid.UUID, results: RunResults) -> bool:
        opportunity = Jsonb(results.opportunity) if results.opportunity else None
        return bool(
            self._scalar(
                "select public.app_complete_run(%s, %s, %s, %s, %s)",
                (
                    log_id,
                    Jsonb(results.drafts),
                    Jsonb(results.recommendation),
                    opportunity,
                    Jsonb(results.scores),
                ),
            )
        )

    def finish_run(
        self,
        log_id: uuid.UUID,
        status: Literal["skipped", "failed"],
        error_class: str,
        message: str,
        scores: dict[str, Any] | None = None,
    ) -> bool:
        return bool(
            self._scalar(
                "select public.app_finish_run(%s, %s, %s, %s, %s)",
                (log_id, status, error_class, message, Jsonb(scores or {})),
            )
        )

    def runs_with_status(self, status: str, since: datetime) -> list[tuple[str, str]]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "select activity_id, activity_type from public.ai_processing_logs "
                "where status = %s and created_at >= %s and activity_type is not null "
                "order by created_at",
                (status, since),
            ).fetchall()
        return [(activity_id, activity_type) for activity_id, activity_type in rows]

    def _queue(
        self,
        activity_id: str,
        activity_type: str,
        version: str,
        owner_id: str | None,
        notes: str | None,
        retry_failed: bool,
    ) -> QueuedRun:
        # A concurrent first insert of the same version is invisible to this statement's
        # snapshot, so an empty answer is asked once more.
        for _ in range(2):
            with self.pool.connection() as conn:
                row = conn.execute(
                    "select * from public.app_queue_run(%s, %s, %s, %s, %s, %s)",
                    (activity_id, activity_type, version, owner_id, notes, retry_failed),
                ).fetchone()
            if row:
                return QueuedRun(*row)
        raise RuntimeError(f"could not queue a run for activity {activity_id}")

    def _scalar(self, sql: str, params: tuple) -> Any:
        with self.pool.connection() as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None
