"""Supabase access tokens, verified in-process.

HS256 tokens are checked with the project's legacy JWT secret; RS256/ES256 tokens with the
project's published keys (JWKS), cached and fetched again when a token names an unknown key.
Signature, expiry, audience (``authenticated``) and, when configured, issuer must all hold.
Any other algorithm — ``none`` included — is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.algorithms import AllowedPublicKeys

AUDIENCE = "authenticated"
# The JWK key type each accepted asymmetric algorithm needs: a token that names a key of
# another type is refused before the crypto library is handed a key it cannot use.
KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}
TEAM_LEAD = "team_lead"
SUB_NOT_A_USER = "the token's sub claim is not a user id"


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why without echoing it."""


class TokenExpired(InvalidToken):
    """The token was valid until its expiry: the rep signs in again, nothing is wrong."""


@dataclass(frozen=True)
class Rep:
    user_id: uuid.UUID
    email: str | None
    # app_metadata.role == "team_lead": set by the project's admins, never by the user.
    team_lead: bool = False
    # The HubSpot account a request signed by HubSpot (the app card) came from: the rep is
    # that account's owner or no one. None for a Supabase token.
    portal_id: int | None = None


class TokenVerifier:
    def __init__(
        self,
        hs256_secret: str | None,
        jwks_url: str | None = None,
        issuer: str | None = None,
        leeway_seconds: int = 30,
        refetch_cooldown_seconds: float = 5,
    ) -> None:
        self.hs256_secret = hs256_secret
        self.issuer = issuer
        self.leeway = leeway_seconds
        # PyJWKClient caches the key set, and fetches it again for a key id it has not seen
        # (at most once per cooldown, so forged key ids cannot make us hammer the project).
        self.jwks = (
            jwt.PyJWKClient(
                jwks_url,
                cache_keys=True,
                lifespan=600,
                timeout=5,
                cooldown_duration=refetch_cooldown_seconds,
            )
            if jwks_url
            else None
        )

    def verify(self, token: str) -> Rep:
        try:
            algorithm = str(jwt.get_unverified_header(token).get("alg"))
            claims = jwt.decode(
                token,
                self._key_for(token, algorithm),
                algorithms=[algorithm],
                audience=AUDIENCE,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "sub", "aud"]},
            )
            return _rep(claims)
        except InvalidToken:
            raise
        except jwt.ExpiredSignatureError:
            raise TokenExpired("the token has expired") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken("the token is not for this audience") from None
        except jwt.exceptions.InvalidSubjectError:
            raise InvalidToken(SUB_NOT_A_USER) from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("the token was issued by someone else") from None
        except (jwt.PyJWTError, ValueError, KeyError):
            raise InvalidToken("the token is malformed or its signature does not verify") from None

    def _key_for(self, token: str, algorithm: str) -> str | AllowedPublicKeys:
        if algorithm == "HS256" and self.hs256_secret:
            return self.hs256_secret
        if algorithm in KEY_TYPES and self.jwks is not None:
            signing_key = self.jwks.get_signing_key_from_jwt(token)
            if signing_key.key_type != KEY_TYPES[algorithm]:
                raise InvalidToken(f"the token's algorithm ({algorithm}) does not match its key")
            key: AllowedPublicKeys = signing_key.key
            return key
        raise InvalidToken(f"tokens signed with {algorithm!s} are not accepted")


def _rep(claims: dict[str, Any]) -> Rep:
    """The verified claims as a rep; claims of the wrong type are the token's fault."""
    subject, email = claims.get("sub"), claims.get("email")
    try:
        user_id = uuid.UUID(subject) if isinstance(subject, str) else None
    except ValueError:
        user_id = None
    if user_id is None:
        raise InvalidToken(SUB_NOT_A_USER)
    if email is not None and not isinstance(email, str):
        raise InvalidToken("the token's email claim is not a string")
    app_metadata = claims.get("app_metadata")
    role = app_metadata.get("role") if isinstance(app_metadata, dict) else None
    return Rep(user_id, email or None, team_lead=role == TEAM_LEAD)
