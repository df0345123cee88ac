"""Who is asking: a verified Supabase token or a HubSpot-signed request, and the HubSpot
account and owner whose runs they see."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import g, request

from shared.accounts.oauth import OAuthUnavailable
from shared.auth.owners import OwnerInSeveralAccounts, UnknownUser
from shared.auth.tokens import InvalidToken, Rep, TokenExpired
from shared.hubspot.errors import HubSpotError
from shared.logging import bind_ids
from shared.store.review import RepOwner
from webhook_receiver.hubspot_user import account_client, is_signed_by_hubspot, signed_rep
from webhook_receiver.responses import ApiError
from webhook_receiver.services import services

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient


def require_rep(view: Callable[..., Any]) -> Callable[..., Any]:
    """The view runs only for a request carrying a valid Supabase access token, or signed
    by HubSpot for one of its users (the app card's ``hubspot.fetch``); either way the rep
    then sees exactly what their HubSpot owner owns."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            g.rep = _token_rep(token.strip())
        elif is_signed_by_hubspot():
            g.rep = signed_rep()
        else:
            raise ApiError(
                401,
                "unauthorized",
                "send a Supabase access token (Authorization: Bearer <token>), or call "
                "through the HubSpot app card, which signs its requests",
            )
        bind_ids(user_id=str(g.rep.user_id))
        return view(*args, **kwargs)

    return checked


def _token_rep(token: str) -> Rep:
    try:
        return services().tokens.verify(token)
    except TokenExpired as exc:
        raise ApiError(401, "token_expired", str(exc)) from None
    except InvalidToken as exc:
        raise ApiError(401, "invalid_token", str(exc)) from None


def current_rep() -> Rep:
    return g.rep


def current_owner() -> RepOwner:
    """The rep's HubSpot account and owner; a rep linked to none has nothing to see."""
    if "owner" not in g:
        g.owner = _resolve_owner(g.rep)
    if g.owner is None:
        raise ApiError(
            403,
            "no_hubspot_owner",
            "your account is not linked to a HubSpot owner: ask an admin to add you to "
            "rep_owners (with the HubSpot account), or sign in with your HubSpot user's email",
        )
    owner: RepOwner = g.owner
    return owner


def current_hubspot() -> HubSpotClient:
    """The HubSpot client acting for the rep's account (whose owner they are)."""
    if "hubspot" not in g:
        g.hubspot = account_client(current_owner().portal_id)
    client: HubSpotClient = g.hubspot
    return client


def _resolve_owner(rep: Rep) -> RepOwner | None:
    try:
        return services().owners.owner_for(rep)
    except UnknownUser:
        raise unknown_user() from None
    except OwnerInSeveralAccounts as exc:
        raise ApiError(
            409,
            "ambiguous_hubspot_owner",
            f"your email is a HubSpot owner in several accounts ({exc}): ask an admin to map "
            "you to one of them in rep_owners (user_id, hubspot_portal_id, hubspot_owner_id)",
        ) from None
    except (HubSpotError, OAuthUnavailable):
        raise ApiError(
            503, "hubspot_unavailable", "HubSpot could not say which owner you are; try again"
        ) from None


def unknown_user() -> ApiError:
    return ApiError(
        403,
        "user_not_found",
        "the token is valid but its user does not exist in this project (deleted?): sign in again",
    )
