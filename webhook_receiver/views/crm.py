"""CRM reads for the frontend, straight from the rep's HubSpot account (nothing is copied),
scoped to the objects the rep's HubSpot owner owns."""

from __future__ import annotations

from flask import Blueprint, jsonify

from shared.hubspot.errors import HubSpotError
from shared.hubspot.models import READABLE_PROPERTIES
from webhook_receiver.auth import current_hubspot, current_owner, require_rep
from webhook_receiver.responses import ApiError
from webhook_receiver.schemas import PageQuery, query

crm = Blueprint("crm", __name__, url_prefix="/api/v1/crm")


@crm.get("/<object_type>")
@require_rep
def owned_objects(object_type: str):
    if object_type not in READABLE_PROPERTIES:
        raise ApiError(404, "not_found", f"choose one of: {', '.join(sorted(READABLE_PROPERTIES))}")
    page = query(PageQuery)
    try:
        results, following = current_hubspot().owned_by(
            object_type,
            current_owner().owner_id,
            READABLE_PROPERTIES[object_type],
            page.after,
            page.limit,
        )
    except HubSpotError as exc:
        if exc.status == 400:  # e.g. paging past what HubSpot's search serves
            raise ApiError(400, "hubspot_refused", f"HubSpot refused the request: {exc}") from None
        raise ApiError(502, "hubspot_unavailable", f"HubSpot answered {exc.status}") from None
    return jsonify({"results": results, "next_after": following})
