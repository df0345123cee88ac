"""Token verification with HS256 and with asymmetric keys served as a JWKS on loopback."""

import json
import threading
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from shared.auth.tokens import InvalidToken, TokenVerifier

SECRET = "a-long-enough-hs256-secret-for-tests-000000"
USER = uuid.uuid4()


def claims(**overrides) -> dict:
    return {
        "sub": str(USER),
        "email": "rep@example.com",
        "aud": "authenticated",
        "exp": int(time.time()) + 300,
        **overrides,
    }


class KeySet:
    """A JWKS endpoint whose keys the test can rotate; counts fetches."""

    def __init__(self) -> None:
        self.keys: list[dict] = []
        self.fetches = 0
        self.server = make_server("127.0.0.1", 0, self)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/auth/v1/.well-known/jwks.json"

    def __call__(self, environ, start_response):
        self.fetches += 1
        return Response(json.dumps({"keys": self.keys}), content_type="application/json")(
            environ, start_response
        )

    def add_rsa(self, kid: str):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.keys.append(
            {
                **json.loads(RSAAlgorithm.to_jwk(private.public_key())),
                "kid": kid,
                "alg": "RS256",
                "use": "sig",
            }
        )
        return private

    def add_ec(self, kid: str):
        private = ec.generate_private_key(ec.SECP256R1())
        self.keys.append(
            {
                **json.loads(ECAlgorithm.to_jwk(private.public_key())),
                "kid": kid,
                "alg": "ES256",
                "use": "sig",
            }
        )
        return private


@pytest.fixture
def key_set():
    keys = KeySet()
    yield keys
    keys.server.shutdown()


def test_hs256_tokens_verify_with_the_legacy_secret():
    rep = TokenVerifier(SECRET).verify(jwt.encode(claims(), SECRET, algorithm="HS256"))

    assert (rep.user_id, rep.email) == (USER, "rep@example.com")


@pytest.mark.parametrize(
    ("app_metadata", "team_lead"),
    [({"role": "team_lead"}, True), ({"role": "rep"}, False), ("team_lead", False), (None, False)],
)
def test_a_team_lead_is_who_app_metadata_says(app_metadata, team_lead):
    token = jwt.encode({**claims(), "app_metadata": app_metadata}, SECRET, algorithm="HS256")

    assert TokenVerifier(SECRET).verify(token).team_lead is team_lead


def test_rs256_and_es256_tokens_verify_with_the_projects_keys(key_set):
    rsa_key, ec_key = key_set.add_rsa("k1"), key_set.add_ec("k2")
    verifier = TokenVerifier(SECRET, key_set.url)

    rs = jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": "k1"})
    es = jwt.encode(claims(), ec_key, algorithm="ES256", headers={"kid": "k2"})

    assert verifier.verify(rs).user_id == USER
    assert verifier.verify(es).user_id == USER


def test_keys_are_cached_and_fetched_again_for_an_unknown_key_id(key_set):
    first = key_set.add_rsa("old")
    verifier = TokenVerifier(SECRET, key_set.url, refetch_cooldown_seconds=0)
    for _ in range(3):
        verifier.verify(jwt.encode(claims(), first, algorithm="RS256", headers={"kid": "old"}))
    fetches_before_rotation = key_set.fetches

    rotated = key_set.add_rsa("new")
    verifier.verify(jwt.encode(claims(), rotated, algorithm="RS256", headers={"kid": "new"}))

    assert fetches_before_rotation == 1
    assert key_set.fetches == 2


def test_a_token_signed_by_a_key_the_project_never_published_is_refused(key_set):
    key_set.add_rsa("real")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": "real"})

    with pytest.raises(InvalidToken, match="signature"):
        TokenVerifier(SECRET, key_set.url).verify(token)


# Built when each test runs, not when the module is collected: a long suite must not see
# its tokens expire before the check they are meant for.
BAD_TOKENS = [
    (lambda: jwt.encode(claims(exp=int(time.time()) - 60), SECRET, algorithm="HS256"), "expired"),
    (lambda: jwt.encode(claims(aud="anon"), SECRET, algorithm="HS256"), "audience"),
    (
        lambda: jwt.encode(
            {k: v for k, v in claims().items() if k != "exp"}, SECRET, algorithm="HS256"
        ),
        "malformed",
    ),
    (
        lambda: jwt.encode(claims(), "another-secret-entirely-0000000000000000", algorithm="HS256"),
        "signature",
    ),
    (lambda: jwt.encode(claims(), None, algorithm="none"), "not accepted"),
    (lambda: jwt.encode(claims(), SECRET + SECRET, algorithm="HS384"), "not accepted"),
    (lambda: "not-a-token", "malformed"),
]


@pytest.mark.parametrize(("make_token", "reason"), BAD_TOKENS)
def test_bad_tokens_are_refused_with_the_reason(make_token, reason):
    with pytest.raises(InvalidToken, match=reason):
        TokenVerifier(SECRET).verify(make_token())


def test_an_rs256_token_needs_the_jwks_configured():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    with pytest.raises(InvalidToken, match="not accepted"):
        TokenVerifier(SECRET).verify(jwt.encode(claims(), private, algorithm="RS256"))


def test_the_issuer_is_checked_when_configured():
    verifier = TokenVerifier(SECRET, issuer="https://project.supabase.co/auth/v1")

    good = jwt.encode(claims(iss="https://project.supabase.co/auth/v1"), SECRET, "HS256")
    bad = jwt.encode(claims(iss="https://evil.example/auth/v1"), SECRET, "HS256")

    assert verifier.verify(good).user_id == USER
    with pytest.raises(InvalidToken, match="issued by someone else"):
        verifier.verify(bad)


@pytest.mark.parametrize(("algorithm", "signer"), [("ES256", "ec"), ("RS256", "rsa")])
def test_a_token_naming_a_key_of_another_type_is_refused(key_set, algorithm, signer):
    """An ES256 token whose kid names the project's RSA key, and the other way round."""
    key_set.add_rsa("rsa-key"), key_set.add_ec("ec-key")
    attacker = (
        ec.generate_private_key(ec.SECP256R1())
        if signer == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid = "rsa-key" if algorithm == "ES256" else "ec-key"
    token = jwt.encode(claims(), attacker, algorithm=algorithm, headers={"kid": kid})

    with pytest.raises(InvalidToken, match="does not match"):
        TokenVerifier(SECRET, key_set.url).verify(token)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"email": ["a@example.com", "b@example.com"]}, "email"),
        ({"email": 42}, "email"),
        ({"email": {"address": "a@example.com"}}, "email"),
        ({"sub": 12345}, "sub"),
        ({"sub": ["not", "a", "uuid"]}, "sub"),
        ({"sub": "not-a-uuid"}, "sub"),
    ],
)
def test_claims_of_the_wrong_type_are_refused(overrides, reason):
    token = jwt.encode(claims(**overrides), SECRET, algorithm="HS256")

    with pytest.raises(InvalidToken, match=reason):
        TokenVerifier(SECRET).verify(token)
