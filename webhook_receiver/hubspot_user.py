"""Requests the app card sends through ``hubspot.fetch``: signed by HubSpot, naming its user
and account (only an account this service acts for is heard).

What this relies on, from HubSpot's guide to fetching data from UI extensions
(developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/
fetching-data, "Headers and metadata"): ``hubspot.fetch`` cannot send custom headers, so no
token travels; HubSpot adds ``X-HubSpot-Signature-v3`` and ``X-HubSpot-Request-Timestamp``,
signed exactly like a v3 webhook (the app's client secret over method + URL + body +
timestamp), and appends ``userId``, ``userEmail``, ``portalId`` and ``appId`` to the query
string, inside the signed URL, so a caller cannot change who they claim to be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import request

from shared.accounts.oauth import OAuthUnavailable
from shared.auth.tokens import Rep
from shared.hubspot.errors import AccountUnavailable, HubSpotError
from shared.webhooks.signature import InvalidSignature
from webhook_receiver.public_url import signed_request
from webhook_receiver.responses import ApiError
from webhook_receiver.services import services

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

SIGNATURE_HEADER = "X-HubSpot-Signature-v3"


def is_signed_by_hubspot() -> bool:
    return bool(request.headers.get(SIGNATURE_HEADER))


def signed_rep() -> Rep:
    """The rep whose HubSpot user sent this request, in the account it came from; 401 unless
    HubSpot signed it within the last five minutes, 403 when no rep is that HubSpot user."""
    body = request.get_data(cache=True)  # kept: the view reads the same body as JSON
    try:
        services().verifier.verify(
            signed_request(request, body, services().settings.webhook_public_base_url)
        )
    except InvalidSignature as exc:
        raise ApiError(401, "invalid_signature", str(exc)) from None
    portal_id = _check_account(request.args.get("portalId", ""))
    email = (request.args.get("userEmail") or "").strip()
    if not email:
        raise ApiError(401, "invalid_signature", "the signed URL names no HubSpot user (userEmail)")
    try:
        user = services().owners.user_for_hubspot_user(portal_id, email)
    except (HubSpotError, OAuthUnavailable):
        raise ApiError(503, "hubspot_unavailable", "HubSpot could not be read; try again") from None
    if user is None:
        raise ApiError(
            403,
            "unknown_hubspot_user",
            "no rep is this HubSpot user: sign in to the review page once with your HubSpot "
            "user's email, or ask an admin to add you to rep_owners",
        )
    return Rep(user, email, portal_id=portal_id)


def _check_account(portal: str) -> int:
    """The signed request's account, one this service acts for: the app may be installed in
    accounts it no longer serves, whose users are no reps here."""
    if not portal.isdigit():
        raise ApiError(401, "invalid_signature", "the signed URL names no HubSpot account")
    account_client(int(portal))
    return int(portal)


def account_client(portal_id: int) -> HubSpotClient:
    """The client acting for the account; 403 when this service does not act for it (now),
    503 when HubSpot cannot say."""
    try:
        services().clients.check_served(portal_id)
    except AccountUnavailable as exc:
        raise ApiError(403, "account_not_served", str(exc)) from None
    except (HubSpotError, OAuthUnavailable):
        raise ApiError(503, "hubspot_unavailable", "HubSpot could not be read; try again") from None
    return services().clients.for_account(portal_id)
