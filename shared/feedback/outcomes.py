"""Accepting and rejecting a draft, recorded beside it and counted in the metrics by tone
and activity type (and, for a rejection, its reason)."""

from __future__ import annotations

import uuid
from typing import Any

from shared.feedback.edits import AcceptRecord
from shared.metrics import Metrics
from shared.store import Store
from shared.store.review import ApplyRequest, RejectReason, RepOwner

RECORDED = ("created", "retried")  # outcomes that record a new acceptance


def request_accept(
    store: Store,
    metrics: Metrics,
    owner: RepOwner,
    user_id: uuid.UUID,
    draft_id: uuid.UUID,
    payload: dict[str, Any],
) -> ApplyRequest:
    """The apply job for an accepted draft, with what was accepted stored on the draft."""
    draft = store.draft_of(draft_id)
    if draft is None:
        return ApplyRequest(None, None, "not_found")
    record = AcceptRecord.of(draft.draft_text, payload.get("text"))
    request = store.request_apply(owner, user_id, "draft", draft_id, payload, record)
    if request.outcome in RECORDED:
        metrics.record(
            counts={"drafts_accepted_total": 1},
            timings={"draft_edit_distance": record.edit_distance},
            labels={"tone": draft.tone, "activity_type": draft.activity_type or "unknown"},
        )
    return request


def reject(
    store: Store,
    metrics: Metrics,
    owner: RepOwner,
    draft_id: uuid.UUID,
    reason: RejectReason,
    note: str | None,
) -> str:
    """Reject the draft for ``reason``; the outcome (rejected, not_found, already_applied)."""
    rejected = store.reject_draft(owner, draft_id, reason, note)
    if rejected.outcome == "rejected":
        labels = {"tone": rejected.tone or "", "activity_type": rejected.activity_type or ""}
        metrics.count("drafts_rejected_total", reason=reason, **labels)
    return rejected.outcome
