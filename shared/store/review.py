"""What reps do with runs: list and read them, accept, reject, dismiss, and the apply
jobs that carry an accepted draft or date to HubSpot. Every read and change is scoped by
the rep's HubSpot account and owner (``RepOwner``): owner ids are per account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from shared.feedback.edits import AcceptRecord
from shared.feedback.voice import VOICE_EXAMPLES, RepVoice
from shared.settings import DEFAULT_CLAIM_LEASE_SECONDS
from shared.store.base import FunctionCaller, as_uuid
from shared.store.rows import (
    ApplyJob,
    ApplyKind,
    ClaimedJob,
    InboxEntry,
    InboxOrder,
    InboxPage,
    InboxState,
    JsonObject,
    RunBusy,
    RunRow,
    Session,
)

TargetKind = Literal["draft", "recommendation", "run"]
JobOutcome = Literal["applied", "failed", "conflict"]
RejectReason = Literal["wrong_facts", "wrong_tone", "not_needed", "other"]


SESSION_METADATA_MAX_BYTES = 16384  # migrations/006: the sessions_metadata_size check


@dataclass(frozen=True)
class RepOwner:
    """Whom a rep is in HubSpot: an owner of one account (owner 101 of one account and owner
    101 of another are different people)."""

    portal_id: int
    owner_id: str


@dataclass(frozen=True)
class RepRecord:
    known: bool  # the user exists in auth.users
    owner_override: RepOwner | None  # the account's owner a rep_owners row maps them to


@dataclass(frozen=True)
class StoredActivity:
    activity_id: str
    activity_type: str | None
    owner_id: str | None  # the owner HubSpot last reported for it
    portal_id: int | None = None  # its account; None until runs stored before 018 are adopted


@dataclass(frozen=True)
class ActivityRuns:
    """Everything stored for one activity: its newest run's activity and owner, and every
    run with its drafts, recommendation and jobs, as the detail view shows them."""

    activity: StoredActivity
    runs: list[JsonObject]


@dataclass(frozen=True)
class SessionUpdate:
    session: Session | None  # None: the user does not exist
    outcome: Literal["updated", "user_not_found", "too_large"]


@dataclass(frozen=True)
class ApplyRequest:
    job_id: str | None
    status: str | None
    outcome: str  # created | existing | retried | already_applied | not_found


@dataclass(frozen=True)
class StoredDraft:
    draft_text: str  # the model's text
    tone: str
    activity_type: str | None


@dataclass(frozen=True)
class Rejection:
    outcome: str  # rejected | not_found | already_applied
    tone: str | None
    activity_type: str | None


class ReviewFunctions(FunctionCaller):
    def rep(self, user_id: uuid.UUID) -> RepRecord:
        [row] = self.rpc("app_rep", {"p_user": user_id})
        mapped = row["hubspot_owner_id"]
        owner = RepOwner(int(row["hubspot_portal_id"]), mapped) if mapped else None
        return RepRecord(bool(row["known"]), owner)

    def list_runs(
        self,
        owner: RepOwner,
        status: str | None,
        activity_type: str | None,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
        dismissed: bool | None = None,
    ) -> list[RunRow]:
        """One page of the owner's runs, newest first; ``dismissed`` None lists them all,
        False only those not dismissed, True only dismissed ones."""
        created, last_id = before or (None, None)
        rows = self.rpc(
            "app_list_runs",
            {
                **_scope(owner),
                "p_status": status,
                "p_type": activity_type,
                "p_dismissed": dismissed,
                "p_before_created": created,
                "p_before_id": last_id,
                "p_limit": limit,
            },
        )
        return [RunRow.from_json(row) for row in rows]

    def inbox_page(
        self,
        owner: RepOwner,
        state: InboxState | None,
        activity_type: str | None,
        order: InboxOrder,
        after: tuple[str, uuid.UUID] | None,
        limit: int,
    ) -> InboxPage:
        """One page of the owner's inbox (an entry per activity, in ``order``, after the
        ``(sort_key, id)`` of the previous page's last entry) and the count of each state."""
        key, last_id = after or (None, None)
        page = self.rpc(
            "app_inbox_page",
            {
                **_scope(owner),
                "p_state": state,
                "p_type": activity_type,
                "p_order": order,
                "p_after_key": key,
                "p_after_id": last_id,
                "p_limit": limit,
            },
        )
        entries = [InboxEntry.from_json(row) for row in page["entries"]]
        return InboxPage(entries, {state: int(count) for state, count in page["counts"].items()})

    def activity_runs(self, portal_id: int, activity_id: str) -> ActivityRuns | None:
        """Every run of the account's activity, whoever owned it: authorise with HubSpot
        first."""
        params = {"p_portal_id": portal_id, "p_activity_id": activity_id}
        runs = self.rpc("app_activity_runs", params)
        if not runs:
            return None
        # The record of a deletion names no owner: the owner is the last one a run knew.
        newest = next((run for run in runs if run["hubspot_owner_id"]), runs[0])
        stored = StoredActivity(
            activity_id, newest["activity_type"], newest["hubspot_owner_id"], portal_id
        )
        return ActivityRuns(stored, runs)

    def activity_of(self, kind: TargetKind, target_id: uuid.UUID) -> StoredActivity | None:
        """The activity a draft, recommendation or run belongs to."""
        rows = self.rpc("app_activity_of", {"p_kind": kind, "p_id": target_id})
        if not rows:
            return None
        row = rows[0]
        portal = row["hubspot_portal_id"]
        return StoredActivity(
            row["activity_id"],
            row["activity_type"],
            row["hubspot_owner_id"],
            int(portal) if portal is not None else None,
        )

    def user_for_owner(
        self, portal_id: int, owner_id: str | None, owner_email: str | None
    ) -> uuid.UUID | None:
        """The rep an account's owner maps to: by hand (rep_owners) first, else by email."""
        params = {"p_portal_id": portal_id, "p_owner": owner_id, "p_owner_email": owner_email}
        user = self.rpc("app_user_for_owner", params)
        return as_uuid(user) if user else None

    def record_runs(self, owner: RepOwner, activity_ids: list[str]) -> list[JsonObject]:
        """The owner's open suggestions on these activities: each one's newest completed run,
        unless dismissed, as ``RunRow`` columns with its drafts and recommendation."""
        if not activity_ids:
            return []
        params = {**_scope(owner), "p_activity_ids": activity_ids}
        return list(self.rpc("app_record_runs", params))

    def rehome_activity(
        self, portal_id: int | None, activity_id: str, owner: str | None, owner_email: str | None
    ) -> int:
        """Move the account's activity's runs to the owner HubSpot has now, and to that
        owner's rep (``portal_id`` None: runs not adopted yet, see ``app_adopt_rows``)."""
        params = {
            "p_portal_id": portal_id,
            "p_activity_id": activity_id,
            "p_owner": owner,
            "p_owner_email": owner_email,
        }
        return int(self.rpc("app_rehome_activity", params) or 0)

    def link_rep(self, user_id: uuid.UUID, owner: RepOwner) -> int:
        """Runs of this account's owner that no rep was known for become this rep's."""
        return int(self.rpc("app_link_rep", {"p_user": user_id, **_scope(owner)}) or 0)

    def request_apply(
        self,
        owner: RepOwner,
        user_id: uuid.UUID,
        kind: ApplyKind,
        target_id: uuid.UUID,
        payload: dict[str, Any],
        accepted: AcceptRecord | None = None,
    ) -> ApplyRequest:
        """The job for an accepted result; ``accepted``: what a draft's acceptance records."""
        [row] = self.rpc(
            "app_request_apply",
            {
                **_scope(owner),
                "p_user": user_id,
                "p_kind": kind,
                "p_target": target_id,
                "p_payload": payload,
                "p_final_text": accepted.final_text if accepted else None,
                "p_edit_distance": accepted.edit_distance if accepted else None,
            },
        )
        job_id = str(row["job_id"]) if row["job_id"] else None
        return ApplyRequest(job_id, row["job_status"], row["outcome"])

    def draft_of(self, draft_id: uuid.UUID) -> StoredDraft | None:
        rows = self.rpc("app_draft_of", {"p_draft": draft_id})
        return StoredDraft(**rows[0]) if rows else None

    def reject_draft(
        self, owner: RepOwner, draft_id: uuid.UUID, reason: RejectReason, note: str | None = None
    ) -> Rejection:
        params = {**_scope(owner), "p_draft": draft_id, "p_reason": reason, "p_note": note}
        [row] = self.rpc("app_reject_draft", params)
        return Rejection(**row)

    def insights(self, portal_id: int, owner: str | None, since: datetime) -> JsonObject:
        """What the account's reps did with drafts since ``since``: one owner's, or every
        one's (None)."""
        params = {"p_portal_id": portal_id, "p_owner": owner, "p_since": since}
        figures: JsonObject = self.rpc("app_insights", params)
        return figures

    def rep_voice(self, portal_id: int, owner_id: str) -> RepVoice:
        """What the account's owner accepted lately (``app_rep_voice``)."""
        params = {"p_portal_id": portal_id, "p_owner": owner_id, "p_examples": VOICE_EXAMPLES}
        voice = self.rpc("app_rep_voice", params)
        return RepVoice(voice["preferred_tone"], tuple(voice["examples"]))

    def dismiss_run(self, owner: RepOwner, run_id: uuid.UUID) -> str:
        return str(self.rpc("app_dismiss_run", {**_scope(owner), "p_run": run_id}))

    def restore_run(self, owner: RepOwner, run_id: uuid.UUID) -> str:
        """Undo a dismissal: ``restored``, or ``not_found``."""
        return str(self.rpc("app_restore_run", {**_scope(owner), "p_run": run_id}))

    def get_job(self, owner: RepOwner, job_id: uuid.UUID) -> ApplyJob | None:
        job = self.rpc("app_get_job", {**_scope(owner), "p_job": job_id})
        return ApplyJob.from_json(job) if job else None

    def claim_job(
        self, job_id: uuid.UUID, lease_seconds: int = DEFAULT_CLAIM_LEASE_SECONDS
    ) -> ClaimedJob | RunBusy | None:
        """The claimed job with what applying it needs; ``RunBusy`` while another job of the
        same run is applying; None when the job is unknown or already taken."""
        params = {"p_job": job_id, "p_lease_seconds": lease_seconds}
        claim = self.rpc("app_claim_job", params)
        if claim is None:
            return None
        return RunBusy() if claim["busy"] else ClaimedJob.from_json(claim)

    def waiting_jobs(self, job_id: uuid.UUID) -> list[str]:
        """The other jobs of this job's run still queued, waiting for their turn."""
        return [str(row["job_id"]) for row in self.rpc("app_waiting_jobs", {"p_job": job_id})]

    def record_job_object(
        self,
        job_id: uuid.UUID,
        object_id: str,
        version: str,
        written_task: JsonObject | None = None,
    ) -> bool:
        params = {
            "p_job": job_id,
            "p_object_id": object_id,
            "p_version": version,
            "p_written_task": written_task,
        }
        return bool(self.rpc("app_record_job_object", params))

    def is_own_write(self, portal_id: int, activity_id: str, version: str) -> bool:
        """Whether this version of the account's activity is our own write-back."""
        params = {"p_portal_id": portal_id, "p_activity_id": activity_id, "p_version": version}
        return bool(self.rpc("app_is_own_write", params))

    def finish_job(
        self,
        job_id: uuid.UUID,
        status: JobOutcome,
        reason: str | None = None,
    ) -> bool:
        return bool(
            self.rpc("app_finish_job", {"p_job": job_id, "p_status": status, "p_reason": reason})
        )

    def park_job(self, job_id: uuid.UUID, reason: str) -> bool:
        """Put a claimed job back in the queue with the reason it waits (the daily limit)."""
        return bool(self.rpc("app_park_job", {"p_job": job_id, "p_reason": reason}))

    def current_session(self, user_id: uuid.UUID) -> Session | None:
        """The user's session, created on first use; None when the user does not exist."""
        session = self.rpc("app_current_session", {"p_user": user_id})
        return Session.from_json(session) if session else None

    def update_session(self, user_id: uuid.UUID, metadata: dict[str, Any]) -> SessionUpdate:
        """Merge ``metadata`` in (a None value removes its key), within the size limit."""
        [row] = self.rpc("app_update_session", {"p_user": user_id, "p_metadata": metadata})
        session = Session.from_json(row["session"]) if row["session"] else None
        return SessionUpdate(session, row["outcome"])


def _scope(owner: RepOwner) -> dict[str, Any]:
    """The parameters every function reading or changing a rep's results is scoped by."""
    return {"p_portal_id": owner.portal_id, "p_owner": owner.owner_id}
