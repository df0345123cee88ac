"""The approval API: a rep's processing runs, and accepting, rejecting or dismissing what
they suggest.

Everything is scoped to the rep's HubSpot account and owner (owner ids are per account),
and one activity's runs to whoever owns it in HubSpot now: the detail view and every action
ask the account in HubSpot first (a reassigned activity's runs move to its new owner), and
answer 503 when HubSpot cannot say. Another rep's or another account's ids answer 404,
exactly like unknown ones, so nothing leaks about what exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import kombu.exceptions
import redis
from flask import Blueprint, jsonify, url_for

from shared.account_keys import AccountCache
from shared.feedback.outcomes import reject, request_accept
from shared.hubspot.errors import HubSpotError
from shared.hubspot.models import Activity
from shared.queues import enqueue_apply
from shared.review.inbox import ActivitySummaries, summary_of, with_activities
from shared.review.ownership import Ownership
from shared.store.review import SESSION_METADATA_MAX_BYTES, ApplyRequest, StoredActivity, TargetKind
from shared.store.rows import RunRow, json_row
from webhook_receiver.auth import (
    current_hubspot,
    current_owner,
    current_rep,
    require_rep,
    unknown_user,
)
from webhook_receiver.responses import ApiError
from webhook_receiver.schemas import (
    AcceptDraft,
    ApplyDates,
    InboxCounts,
    InboxQuery,
    JobStarted,
    RejectDraft,
    RunsQuery,
    SessionUpdate,
    body,
    decode_number_cursor,
    decode_time_cursor,
    encode_cursor,
    query,
)
from webhook_receiver.services import services

api = Blueprint("api", __name__, url_prefix="/api/v1")
NOT_FOUND = "nothing with this id among your runs"


@api.get("/runs")
@require_rep
def list_runs():
    wanted = query(RunsQuery)
    rows = services().store.list_runs(
        current_owner(),
        wanted.status,
        wanted.type,
        decode_time_cursor(wanted.cursor),
        wanted.limit + 1,
        dismissed=wanted.dismissed,
    )
    page = rows[: wanted.limit]
    last = page[-1] if len(rows) > wanted.limit else None
    following = encode_cursor(last.created_at.isoformat(), last.id) if last else None
    answer: dict[str, Any] = {"runs": [json_row(row) for row in page], "next_cursor": following}
    if wanted.include == "activity":
        answer["runs"], problem = _with_hubspot_now(page)
        answer |= problem
    return jsonify(answer)


@api.get("/inbox")
@require_rep
def inbox():
    wanted = query(InboxQuery)
    store, owner = services().store, current_owner()
    after = decode_number_cursor(wanted.cursor)
    inbox = store.inbox_page(
        owner, wanted.state, wanted.type, wanted.order, after, wanted.limit + 1
    )
    page = inbox.entries[: wanted.limit]
    last = page[-1] if len(inbox.entries) > wanted.limit else None
    answer: dict[str, Any] = {
        "entries": [json_row(row) for row in page],
        "counts": InboxCounts(**inbox.counts).model_dump(),
        "next_cursor": encode_cursor(last.sort_key, last.id) if last else None,
    }
    if wanted.include == "activity":
        answer["entries"], problem = _with_hubspot_now(page)
        answer |= problem
    return jsonify(answer)


@api.get("/activities/<activity_id>")
@require_rep
def activity(activity_id: str):
    store, owner = services().store, current_owner()
    stored = store.activity_runs(owner.portal_id, activity_id) if activity_id.isdigit() else None
    if stored is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    current = _owned_by_this_rep(stored.activity)
    if stored.activity.owner_id != owner.owner_id:  # they were just moved to this rep
        stored = store.activity_runs(owner.portal_id, activity_id) or stored
    hubspot: dict[str, Any] = {"hubspot": current.model_dump(mode="json") if current else None}
    if current is None:
        hubspot["hubspot_error"] = "the activity was deleted in HubSpot"
    return jsonify({"activity_id": activity_id, "runs": stored.runs, **hubspot})


@api.post("/drafts/<uuid:draft_id>/accept")
@require_rep
def accept_draft(draft_id: uuid.UUID):
    _authorise("draft", draft_id)
    payload = body(AcceptDraft).model_dump(exclude_none=True)
    store, metrics = services().store, services().metrics
    return _start_apply(
        request_accept(store, metrics, current_owner(), current_rep().user_id, draft_id, payload)
    )


@api.post("/recommendations/<uuid:recommendation_id>/apply")
@require_rep
def apply_recommendation(recommendation_id: uuid.UUID):
    dates = body(ApplyDates).model_dump(mode="json", exclude_none=True)
    _authorise("recommendation", recommendation_id)
    return _start_apply(
        services().store.request_apply(
            current_owner(), current_rep().user_id, "recommendation", recommendation_id, dates
        )
    )


@api.post("/drafts/<uuid:draft_id>/reject")
@require_rep
def reject_draft(draft_id: uuid.UUID):
    _authorise("draft", draft_id)
    why = body(RejectDraft)
    store, metrics = services().store, services().metrics
    _raise_for(reject(store, metrics, current_owner(), draft_id, why.reason, why.note))
    return jsonify({"status": "rejected"})


@api.post("/runs/<uuid:run_id>/dismiss")
@require_rep
def dismiss_run(run_id: uuid.UUID):
    _authorise("run", run_id)
    _raise_for(services().store.dismiss_run(current_owner(), run_id))
    return jsonify({"status": "dismissed"})


@api.post("/runs/<uuid:run_id>/restore")
@require_rep
def restore_run(run_id: uuid.UUID):
    _authorise("run", run_id)
    _raise_for(services().store.restore_run(current_owner(), run_id))
    return jsonify({"status": "restored"})


@api.get("/jobs/<uuid:job_id>")
@require_rep
def job_status(job_id: uuid.UUID):
    job = services().store.get_job(current_owner(), job_id)
    if job is None:
        raise ApiError(404, "not_found", "no such job for you")
    return jsonify(json_row(job))


@api.get("/session")
@require_rep
def get_session():
    session = services().store.current_session(current_rep().user_id)
    if session is None:
        raise unknown_user()
    return jsonify(json_row(session))


@api.patch("/session")
@require_rep
def update_session():
    update = body(SessionUpdate)
    result = services().store.update_session(current_rep().user_id, update.metadata)
    if result.outcome == "user_not_found" or result.session is None:
        raise unknown_user()
    if result.outcome == "too_large":
        raise ApiError(
            413,
            "session_too_large",
            f"session metadata is limited to {SESSION_METADATA_MAX_BYTES} bytes, and this "
            "change would pass it; set keys to null to remove them",
        )
    return jsonify(json_row(result.session))


def _start_apply(request: ApplyRequest):
    _raise_for(request.outcome)
    try:
        enqueue_apply(services().producer, request.job_id or "")
    except (redis.RedisError, kombu.exceptions.OperationalError, OSError):
        raise ApiError(
            503,
            "queue_unavailable",
            "the job was saved but not queued; send the same request again",
        ) from None
    status_url = url_for("api.job_status", job_id=request.job_id)
    started = JobStarted(job_id=request.job_id, status=request.status, status_url=status_url)
    return jsonify(started.model_dump(mode="json")), 202


def _raise_for(outcome: str) -> None:
    if outcome == "not_found":
        raise ApiError(404, "not_found", NOT_FOUND)
    if outcome == "already_applied":
        raise ApiError(409, "already_applied", "this suggestion was already applied to HubSpot")


def _with_hubspot_now(rows: Sequence[RunRow]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The rows as JSON with their activities as HubSpot has them now, leaving out any that
    HubSpot has reassigned to another owner (their runs move to that owner), and, when
    HubSpot could not be read, why. The stored runs stand on their own, so a HubSpot
    failure leaves every activity null."""
    try:
        summaries = ActivitySummaries(
            current_hubspot(), services().redis, current_owner().portal_id
        )
        current = summaries.current(list(rows))
    except HubSpotError as exc:
        return with_activities(rows, {}), {"activity_error": _unreadable(exc)}
    kept = [row for row in rows if not _moved_away(row, summary_of(row, current))]
    return with_activities(kept, current), {}


def _moved_away(row: RunRow, summary: dict[str, Any] | None) -> bool:
    """Every row listed is stored under this rep's owner; HubSpot may say otherwise now."""
    mine = current_owner()
    # A summary cached before summaries carried the owner says nothing either way.
    if summary is None or "owner_id" not in summary or summary["owner_id"] == mine.owner_id:
        return False
    _ownership().record(mine.portal_id, row.activity_id, summary["owner_id"], mine.owner_id)
    return True


def _authorise(kind: TargetKind, target_id: uuid.UUID) -> None:
    stored = services().store.activity_of(kind, target_id)
    if stored is None or stored.portal_id != current_owner().portal_id:
        raise ApiError(404, "not_found", NOT_FOUND)
    _owned_by_this_rep(stored)


def _owned_by_this_rep(stored: StoredActivity) -> Activity | None:
    """HubSpot's copy of the activity (None when deleted there), if the rep owns it in
    HubSpot now (``stored`` is of the rep's account); 404 when another owner does, exactly as
    for ids that do not exist."""
    try:
        current, owner = _ownership().current(stored)
    except HubSpotError as exc:
        raise ApiError(
            503,
            "hubspot_unavailable",
            f"HubSpot could not confirm who owns this activity ({_unreadable(exc)}); try again",
        ) from None
    if owner is None or owner != current_owner().owner_id:
        raise ApiError(404, "not_found", NOT_FOUND)
    return current


def _ownership() -> Ownership:
    cache = AccountCache(services().redis, current_owner().portal_id)
    return Ownership(current_hubspot(), services().store, cache)


def _unreadable(exc: HubSpotError) -> str:
    return f"HubSpot could not be read: {exc.status}"
