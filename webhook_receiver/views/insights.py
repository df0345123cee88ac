"""GET /api/v1/insights: what reps did with drafts — acceptance, edits, reject reasons — for
the asking rep, or with ``scope=team`` for every rep of their HubSpot account when the token
says a team lead asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, jsonify

from webhook_receiver.auth import current_owner, current_rep, require_rep
from webhook_receiver.responses import ApiError
from webhook_receiver.schemas import Insights, InsightsQuery, query
from webhook_receiver.services import services

insights = Blueprint("insights", __name__, url_prefix="/api/v1")
DEFAULT_PERIOD = timedelta(days=30)


@insights.get("/insights")
@require_rep
def get_insights():
    wanted = query(InsightsQuery)
    if wanted.scope == "team" and not current_rep().team_lead:
        raise ApiError(
            403,
            "not_a_team_lead",
            "only a team lead (app_metadata.role team_lead) may see the team's insights; "
            "leave out scope for your own",
        )
    owner = current_owner()
    since = wanted.since or datetime.now(UTC) - DEFAULT_PERIOD
    one = None if wanted.scope == "team" else owner.owner_id
    figures = services().store.insights(owner.portal_id, one, since)
    answer = Insights.model_validate({**figures, "scope": wanted.scope})
    return jsonify(answer.model_dump(mode="json"))
