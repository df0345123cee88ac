"""Local-stack tokens (``python -m devstack token``), shaped like Supabase's access tokens."""

from __future__ import annotations

import time
import uuid

import jwt
import psycopg

from shared.auth.tokens import AUDIENCE


def local_user(database_url: str, email: str) -> uuid.UUID:
    """The local ``auth.users`` row for this email, created on first use."""
    with psycopg.connect(database_url, connect_timeout=10) as conn:
        row = conn.execute(
            "insert into auth.users (email) values (%s) "
            "on conflict (email) do update set email = excluded.email returning id",
            (email,),
        ).fetchone()
    assert row is not None  # insert ... returning answers one row
    user_id: uuid.UUID = row[0]
    return user_id


def mint_token(
    secret: str, user_id: uuid.UUID, email: str, hours: float = 12, issuer: str | None = None
) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "email": email,
        "aud": AUDIENCE,
        "role": "authenticated",
        "iat": now,
        "exp": now + int(hours * 3600),
    }
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, secret, algorithm="HS256")
