"""RunStore over the Supabase API (supabase-py with the service-role key, PostgREST rpc)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import httpx
from supabase import Client, ClientOptions, create_client

from shared.hubspot.models import Activity
from shared.settings import Settings
from shared.store.base import DEFAULT_LEASE_SECONDS, QueuedRun, RunResults, input_notes


class SupabaseStore:
    def __init__(self, client: Client) -> None:
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings, timeout: float = 10.0) -> SupabaseStore:
        key = settings.supabase_service_role_key
        # This store owns no retries: the task layer decides what is worth another try.
        options = ClientOptions(
            httpx_client=httpx.Client(timeout=timeout),
            postgrest_client_retry=False,
            auto_refresh_token=False,
            persist_session=False,
        )
        return cls(
            create_client(
                settings.supabase_url or "", key.get_secret_value() if key else "", options
            )
        )

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
        return bool(
            self._rpc("app_claim_run", {"p_log_id": str(log_id), "p_lease_seconds": lease_seconds})
        )

    def complete_run(self, log_id: uuid.UUID, results: RunResults) -> bool:
        return bool(
            self._rpc(
                "app_complete_run",
                {
                    "p_log_id": str(log_id),
                    "p_drafts": results.drafts,
                    "p_recommendation": results.recommendation,
                    "p_opportunity": results.opportunity,
                    "p_scores": results.scores,
                },
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
            self._rpc(
                "app_finish_run",
                {
                    "p_log_id": str(log_id),
                    "p_status": status,
                    "p_error_class": error_class,
                    "p_error_message": message,
                    "p_scores": scores or {},
                },
            )
        )

    def runs_with_status(self, status: str, since: datetime) -> list[tuple[str, str]]:
        rows = (
            self.client.table("ai_processing_logs")
            .select("activity_id, activity_type")
            .eq("status", status)
            .gte("created_at", since.isoformat())
            .not_.is_("activity_type", "null")
            .order("created_at")
            .execute()
            .data
        )
        return [(row["activity_id"], row["activity_type"]) for row in rows]

    def _queue(
        self,
        activity_id: str,
        activity_type: str,
        version: str,
        owner_id: str | None,
        notes: str | None,
        retry_failed: bool,
    ) -> QueuedRun:
        params = {
            "p_activity_id": activity_id,
            "p_activity_type": activity_type,
            "p_activity_version": version,
            "p_hubspot_owner_id": owner_id,
            "p_input_notes": notes,
            "p_retry_failed": retry_failed,
        }
        for _ in range(2):  # see PostgresStore._queue: a racing first insert can hide the row
            rows = self._rpc("app_queue_run", params)
            if rows:
                row = rows[0]
                return QueuedRun(uuid.UUID(row["log_id"]), row["status"], row["needs_processing"])
        raise RuntimeError(f"could not queue a run for activity {activity_id}")

    def _rpc(self, function: str, params: dict[str, Any]) -> Any:
        return self.client.rpc(function, params).execute().data
