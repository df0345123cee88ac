"""GET /api/v1/records/{object_type}/{record_id}/runs: the open suggestions on one CRM record,
for the app card HubSpot shows on contacts, companies and deals."""

from __future__ import annotations

from flask import Blueprint, jsonify

from shared.hubspot.errors import HubSpotError
from shared.review.record import RECORD_TYPES, record_suggestions
from webhook_receiver.auth import current_hubspot, current_owner, require_rep
from webhook_receiver.responses import ApiError
from webhook_receiver.services import services

records = Blueprint("records", __name__, url_prefix="/api/v1")


@records.get("/records/<object_type>/<record_id>/runs")
@require_rep
def record_runs(object_type: str, record_id: str):
    if object_type not in RECORD_TYPES or not record_id.isdigit():
        raise ApiError(404, "not_found", f"cards list the runs of {', '.join(RECORD_TYPES)} by id")
    app_services, owner = services(), current_owner()
    try:
        runs = record_suggestions(
            current_hubspot(),
            app_services.redis,
            app_services.store,
            owner,
            (object_type, record_id),
        )
    except HubSpotError as exc:
        raise ApiError(
            503, "hubspot_unavailable", f"HubSpot could not be read: {exc.status}; try again"
        ) from None
    return jsonify({"object_type": object_type, "record_id": record_id, "runs": runs})
