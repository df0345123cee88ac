"""Processing runs: queue, claim, complete or finish one activity version's run."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.hubspot.models import Activity
from shared.settings import DEFAULT_CLAIM_LEASE_SECONDS
from shared.store.base import (
    FunctionCaller,
    QueuedRun,
    RunResults,
    as_uuid,
    input_notes,
)


@dataclass(frozen=True)
class Forgotten:
    """What a privacy deletion removed: the activities touched, and how many rows."""

    activity_ids: list[str]
    runs: int
    drafts: int
    jobs: int


class RunFunctions(FunctionCaller):
    def queue_run(
        self,
        activity: Activity,
        portal_id: int,
        retry_failed: bool = False,
        lease_seconds: int = DEFAULT_CLAIM_LEASE_SECONDS,
        owner_email: str | None = None,
    ) -> QueuedRun:
        """A new run belongs to the HubSpot account ``portal_id``. With ``retry_failed`` (a
        replay), a failed run, or one processing for longer than the claim lease, needs
        processing again. The run (and the activity's earlier runs) belong to the activity's
        owner and to the rep ``owner_email`` names; the run keeps the ids of the activity's
        contacts, which a privacy deletion looks for."""
        return self._queue(
            activity.id,
            activity.type,
            activity.version,
            activity.owner_id,
            input_notes(activity),
            portal_id,
            retry_failed,
            lease_seconds,
            owner_email,
            [contact.id for contact in activity.contacts],
        )

    def queue_gone(
        self, activity_id: str, activity_type: str, version: str, portal_id: int
    ) -> QueuedRun:
        return self._queue(
            activity_id,
            activity_type,
            version,
            None,
            None,
            portal_id,
            False,
            DEFAULT_CLAIM_LEASE_SECONDS,
            None,
        )

    def forget_contact(
        self, contact_id: str, portal_id: int, event_id: int, requested_at: datetime
    ) -> Forgotten:
        """Remove every text derived from the contact's activities, and record that."""
        [row] = self.rpc(
            "app_forget_contact",
            {
                "p_contact_id": contact_id,
                "p_portal_id": portal_id,
                "p_event_id": event_id,
                "p_requested_at": requested_at.isoformat(),
            },
        )
        return Forgotten(list(row["activity_ids"] or []), row["runs"], row["drafts"], row["jobs"])

    def claim_run(
        self, run_id: uuid.UUID, lease_seconds: int = DEFAULT_CLAIM_LEASE_SECONDS
    ) -> bool:
        return bool(
            self.rpc("app_claim_run", {"p_run_id": run_id, "p_lease_seconds": lease_seconds})
        )

    def complete_run(self, run_id: uuid.UUID, results: RunResults) -> bool:
        return bool(
            self.rpc(
                "app_complete_run",
                {
                    "p_run_id": run_id,
                    "p_drafts": results.drafts,
                    "p_recommendation": results.recommendation,
                    "p_opportunity": results.opportunity,
                    "p_scores": results.scores,
                    "p_flag": results.flag,
                    "p_flag_reason": results.flag_reason,
                },
            )
        )

    def finish_run(
        self,
        run_id: uuid.UUID,
        status: Literal["skipped", "failed"],
        error_class: str,
        message: str,
        scores: dict[str, Any] | None = None,
    ) -> bool:
        return bool(
            self.rpc(
                "app_finish_run",
                {
                    "p_run_id": run_id,
                    "p_status": status,
                    "p_error_class": error_class,
                    "p_error_message": message,
                    "p_scores": scores or {},
                },
            )
        )

    def runs_with_status(self, status: str, since: datetime) -> list[tuple[int | None, str, str]]:
        """(account, activity id, activity type) of runs in ``status`` created since
        ``since``; the account is None for runs stored before rows named theirs."""
        rows = self.rpc("app_runs_with_status", {"p_status": status, "p_since": since})
        return [
            (row["hubspot_portal_id"], row["activity_id"], row["activity_type"]) for row in rows
        ]

    def stale_queued_runs(
        self, stale_seconds: int, limit: int = 1000
    ) -> list[tuple[int, str, str]]:
        """(account, activity id, activity type) of runs left 'queued' longer than
        ``stale_seconds``, oldest first."""
        rows = self.rpc(
            "app_stale_queued_runs", {"p_stale_seconds": stale_seconds, "p_limit": limit}
        )
        return [
            (row["hubspot_portal_id"], row["activity_id"], row["activity_type"]) for row in rows
        ]

    def versions_needing_work(
        self, portal_id: int, versions: list[tuple[str, str]], stale_seconds: int = 600
    ) -> list[tuple[str, str]]:
        """Of these (activity id, version) pairs of the account's, the ones never queued, or
        queued longer than ``stale_seconds`` ago and still waiting for a processing task."""
        if not versions:
            return []
        pairs = [
            {"activity_id": activity_id, "version": version} for activity_id, version in versions
        ]
        rows = self.rpc(
            "app_versions_needing_work",
            {"p_portal_id": portal_id, "p_versions": pairs, "p_stale_seconds": stale_seconds},
        )
        return [(row["activity_id"], row["activity_version"]) for row in rows]

    def _queue(
        self,
        activity_id: str,
        activity_type: str,
        version: str,
        owner_id: str | None,
        notes: str | None,
        portal_id: int,
        retry_failed: bool,
        lease_seconds: int,
        owner_email: str | None,
        contact_ids: list[str] | None = None,
    ) -> QueuedRun:
        params = {
            "p_activity_id": activity_id,
            "p_activity_type": activity_type,
            "p_activity_version": version,
            "p_hubspot_owner_id": owner_id,
            "p_input_notes": notes,
            "p_portal_id": portal_id,
            "p_retry_failed": retry_failed,
            "p_lease_seconds": lease_seconds,
            "p_owner_email": owner_email,
            "p_contact_ids": contact_ids or [],
        }
        # A concurrent first insert of the same version is invisible to the function's
        # snapshot, so an empty answer is asked once more.
        for _ in range(2):
            rows = self.rpc("app_queue_run", params)
            if rows:
                row = rows[0]
                return QueuedRun(as_uuid(row["run_id"]), row["status"], row["needs_processing"])
        raise RuntimeError(f"could not queue a run for activity {activity_id}")
