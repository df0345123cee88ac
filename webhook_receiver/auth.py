"""Who is asking: a verified Supabase token or a HubSpot-signed request, and the HubSpot
owner whose runs they see."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request

from shared.auth.owners import UnknownUser
from shared.auth.tokens import InvalidToken, Rep, TokenExpired
from shared.logging import bind_ids
from webhook_receiver.hubspot_user import is_signed_by_hubspot, signed_rep
from webhook_receiver.responses import ApiError
from webhook_receiver.services import services


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


def current_owner() -> str:
    """The rep's HubSpot owner id; a rep linked to none has nothing to see."""
    if "owner_id" not in g:
        try:
            g.owner_id = services().owners.owner_for(g.rep)
        except UnknownUser:
            raise unknown_user() from None
    if g.owner_id is None:
        raise ApiError(
            403,
            "no_hubspot_owner",
            "your account is not linked to a HubSpot owner: ask an admin to add "
            "you to rep_owners, or sign in with your HubSpot user's email",
        )
    return g.owner_id


def unknown_user() -> ApiError:
    return ApiError(
        403,
        "user_not_found",
        "the token is valid but its user does not exist in this project (deleted?): sign in again",
    )
