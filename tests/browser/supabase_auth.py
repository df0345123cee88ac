"""A stand-in for a Supabase project's Auth server (GoTrue), enough for supabase-js to sign a
rep in with a password: it issues ES256 access tokens and publishes their key as JWKS, as
Supabase projects do, so the web process verifies them exactly as it would in production.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from devstack.processes import free_port

ANON_KEY = "anon-key-for-browser-tests"
KEY_ID = "browser-test-key"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "apikey, authorization, content-type, x-client-info, "
    "x-supabase-api-version",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
}


@dataclass
class Account:
    email: str
    password: str
    # Set once the stack's database exists: the local auth.users row for the email.
    user_id: uuid.UUID | None = None


def auth_app(account: Account) -> Flask:
    key = ec.generate_private_key(ec.SECP256R1())
    public_jwk = jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    app = Flask("supabase_auth")

    @app.after_request
    def cors(response):
        response.headers.update(CORS_HEADERS)
        return response

    @app.route("/auth/v1/<path:_anything>", methods=["OPTIONS"])
    def preflight(_anything: str):
        return "", 204

    @app.get("/auth/v1/.well-known/jwks.json")
    def jwks():
        return jsonify({"keys": [{**public_jwk, "kid": KEY_ID, "alg": "ES256", "use": "sig"}]})

    @app.post("/auth/v1/token")
    def token():
        body = request.get_json(silent=True) or {}
        if (
            request.args.get("grant_type") != "password"
            or request.headers.get("apikey") != ANON_KEY
        ):
            return jsonify({"code": 400, "error_code": "bad_request", "msg": "bad request"}), 400
        if (body.get("email"), body.get("password")) != (account.email, account.password):
            failure = {
                "code": 400,
                "error_code": "invalid_credentials",
                "msg": "Invalid login credentials",
            }
            return jsonify(failure), 400
        now = int(time.time())
        user = {
            "id": str(account.user_id),
            "aud": "authenticated",
            "role": "authenticated",
            "email": account.email,
            "app_metadata": {"provider": "email"},
            "user_metadata": {},
            "created_at": "2026-01-01T00:00:00Z",
        }
        claims = {
            "sub": str(account.user_id),
            "email": account.email,
            "aud": "authenticated",
            "role": "authenticated",
            "iat": now,
            "exp": now + 3600,
        }
        access = jwt.encode(claims, key, algorithm="ES256", headers={"kid": KEY_ID})
        return jsonify(
            {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": 3600,
                "expires_at": now + 3600,
                "refresh_token": uuid.uuid4().hex,
                "user": user,
            }
        )

    @app.post("/auth/v1/logout")
    def logout():
        return "", 204

    return app


@contextmanager
def running_auth_server(account: Account) -> Iterator[str]:
    port = free_port()
    server = make_server("127.0.0.1", port, auth_app(account), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)
