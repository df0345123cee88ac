"""Generated hostile input at the approval API: tokens whose claims hold values of any type
and whose key ids name keys of the wrong type, and session metadata with huge numbers,
deep nesting and bad Unicode. Never a 5xx; nothing stored that could not be read back."""

from __future__ import annotations

import base64
import json
import time

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwt.algorithms import get_default_algorithms

from devstack.mint import local_user, mint_token
from shared.settings import get_settings
from tests.reliability.hostile import value_texts
from tests.shared.auth.test_tokens import KeySet
from tests.webhook_receiver.test_api import SECRET
from webhook_receiver import create_app

pytestmark = pytest.mark.slow

MARIA = "maria.chen@brightlane.example"
GENERATED = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(), inner)),
    max_leaves=8,
)
ALGORITHMS = st.sampled_from(["HS256", "RS256", "ES256"])


@pytest.fixture(scope="module")
def signers():
    """The project's keys (published in a JWKS) and keys an attacker holds."""
    keys = KeySet()
    yield {
        "project-rsa": keys.add_rsa("project-rsa"),
        "project-ec": keys.add_ec("project-ec"),
        "attacker-rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "attacker-ec": ec.generate_private_key(ec.SECP256R1()),
        "url": keys.url,
    }
    keys.server.shutdown()


@pytest.fixture
def api(database_url, redis_url, simulator, signers, monkeypatch):
    monkeypatch.setenv("SUPABASE_URL", signers["url"].split("/auth/v1/")[0])
    get_settings.cache_clear()
    return create_app().test_client()


@st.composite
def tokens(draw, signers: dict, user: str) -> str:
    """A token for a real user, with one claim (or the key id) replaced by anything."""
    claims = {"sub": user, "email": MARIA, "aud": "authenticated", "exp": int(time.time()) + 60}
    claims[draw(st.sampled_from(["sub", "email", "aud", "exp", "iat", "role"]))] = draw(ANY_JSON)
    algorithm = draw(ALGORITHMS)
    kid = draw(st.one_of(st.sampled_from(["project-rsa", "project-ec", "nobody"]), ANY_JSON))
    if algorithm == "HS256":
        return encode({"alg": algorithm, "kid": kid}, claims, SECRET)
    owner = draw(st.sampled_from(["project", "attacker"]))
    key = signers[f"{owner}-{'rsa' if algorithm == 'RS256' else 'ec'}"]
    return encode({"alg": algorithm, "kid": kid}, claims, key)


def encode(header: dict, claims: dict, key: object) -> str:
    """A signed JWT with any header at all (PyJWT's encode refuses a kid that is not text)."""
    parts = [_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode())]
    signer = get_default_algorithms()[header["alg"]]
    signature = signer.sign(".".join(parts).encode(), signer.prepare_key(key))
    return ".".join([*parts, _b64(signature)])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_generated_tokens_get_no_5xx(api, database_url, signers):
    user = str(local_user(database_url, MARIA))

    @GENERATED
    @given(token=tokens(signers, user), path=st.sampled_from(["/api/v1/runs", "/api/v1/session"]))
    def check(token, path):
        response = api.get(path, headers={"Authorization": f"Bearer {token}"})

        assert response.status_code in (200, 401, 403), (response.status_code, response.json)
        assert response.json

    check()


def test_generated_session_metadata_gets_no_5xx_and_stores_only_what_reads_back(api, database_url):
    headers = {
        "Authorization": "Bearer " + mint_token(SECRET, local_user(database_url, MARIA), MARIA)
    }

    @GENERATED
    @given(value=value_texts(), key=st.text(max_size=8).map(json.dumps))
    def check(value, key):
        body = '{"metadata": {' + key + ": " + value + "}}"

        response = api.patch(
            "/api/v1/session", data=body, content_type="application/json", headers=headers
        )

        assert response.status_code in (200, 400, 413, 422), (response.status_code, body[:200])
        assert response.json

    check()
    with psycopg.connect(database_url) as conn:
        [metadata] = conn.execute("select metadata::text from sessions").fetchone()
    assert len(metadata.encode()) <= 16384
    json.loads(metadata)
