import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.webhooks.signature import (
    InvalidSignature,
    SignatureVerifier,
    WebhookRequest,
    decode_v3_uri,
)
from tests import webhook_signing as sign

SECRET = "a1b2c3d4-client-secret"
NOW_MS = 1_795_000_000_000
URI = "https://hooks.example.com/webhooks/hubspot?portal=62515&next=%2Fdeals%3Fid%3D7&q=a%20b%40c"
BODY = b'[{"eventId":1,"note":"caf\xc3\xa9 \xe2\x80\x94 50 seats"}]'


def verifier(*secrets: str, min_version: int = 1) -> SignatureVerifier:
    return SignatureVerifier(secrets or [SECRET], min_version=min_version, clock_ms=lambda: NOW_MS)


def v3_request(
    uri: str = URI,
    body: bytes = BODY,
    timestamp: int = NOW_MS,
    method: str = "POST",
    signature: str | None = None,
) -> WebhookRequest:
    headers = sign.v3_headers(SECRET, URI, BODY, NOW_MS)
    if signature is not None:
        headers["X-HubSpot-Signature-v3"] = signature
    headers["X-HubSpot-Request-Timestamp"] = str(timestamp)
    return WebhookRequest(method, uri, body, headers)


def test_v3_decodes_only_hubspots_list_of_escapes():
    assert decode_v3_uri(URI) == (
        "https://hooks.example.com/webhooks/hubspot?portal=62515&next=/deals?id%3D7&q=a%20b@c"
    )
    assert decode_v3_uri("/x%3a%2f") == "/x:/"


def test_v3_signature_from_an_independent_implementation_is_accepted():
    assert verifier().verify(v3_request()) == 3


def test_v2_covers_method_uri_and_body():
    headers = {
        "X-HubSpot-Signature": sign.v2(SECRET, "POST", URI, BODY),
        "X-HubSpot-Signature-Version": "v2",
    }
    assert verifier().verify(WebhookRequest("POST", URI, BODY, headers)) == 2
    with pytest.raises(InvalidSignature):
        verifier().verify(WebhookRequest("POST", URI + "&x=1", BODY, headers))


def test_v1_covers_the_body_and_the_version_name_is_case_insensitive():
    headers = {"X-HubSpot-Signature": sign.v1(SECRET, BODY), "X-HubSpot-Signature-Version": "V1"}
    assert verifier().verify(WebhookRequest("POST", URI, BODY, headers)) == 1


def test_a_minimum_version_refuses_older_signatures():
    headers = {"X-HubSpot-Signature": sign.v1(SECRET, BODY), "X-HubSpot-Signature-Version": "v1"}
    with pytest.raises(InvalidSignature, match="v1 is not accepted"):
        verifier(min_version=3).verify(WebhookRequest("POST", URI, BODY, headers))


def test_any_of_several_secrets_verifies_during_rotation():
    assert verifier("new-secret-after-rotation", SECRET).verify(v3_request()) == 3


@pytest.mark.parametrize("skew_ms", [-300_001, 300_001, -(10**9), 10**9])
def test_timestamps_outside_five_minutes_either_way_are_refused(skew_ms):
    timestamp = NOW_MS + skew_ms
    headers = sign.v3_headers(SECRET, URI, BODY, timestamp)
    with pytest.raises(InvalidSignature, match="5-minute window"):
        verifier().verify(WebhookRequest("POST", URI, BODY, headers))


@pytest.mark.parametrize("skew_ms", [-299_000, 299_000])
def test_timestamps_inside_the_window_either_way_are_accepted(skew_ms):
    timestamp = NOW_MS + skew_ms
    headers = sign.v3_headers(SECRET, URI, BODY, timestamp)
    assert verifier().verify(WebhookRequest("POST", URI, BODY, headers)) == 3


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-HubSpot-Signature": "abc"},
        {"X-HubSpot-Signature-Version": "v9", "X-HubSpot-Signature": "abc"},
        {"X-HubSpot-Signature-v3": "abc"},
        {"X-HubSpot-Signature-v3": "abc", "X-HubSpot-Request-Timestamp": "soon"},
        {"X-HubSpot-Signature-v3": "sïgnature", "X-HubSpot-Request-Timestamp": str(NOW_MS)},
    ],
)
def test_missing_or_malformed_headers_are_refused(headers):
    with pytest.raises(InvalidSignature):
        verifier().verify(WebhookRequest("POST", URI, BODY, headers))


def test_a_body_that_is_not_utf8_cannot_verify():
    with pytest.raises(InvalidSignature):
        verifier().verify(v3_request(body=b"\xff\xfe[]"))


mutations = st.one_of(
    st.binary(min_size=1, max_size=20).map(lambda extra: {"body": BODY + extra}),
    st.text(min_size=1, max_size=10).map(lambda extra: {"uri": URI + extra}),
    st.sampled_from(["GET", "PUT", "PATCH", "DELETE"]).map(lambda method: {"method": method}),
    st.integers(min_value=1, max_value=299_000).map(lambda d: {"timestamp": NOW_MS - d}),
    st.text(min_size=1, max_size=60).map(lambda text: {"signature": text}),
)


@settings(max_examples=300, deadline=None)
@given(mutations)
def test_any_change_to_a_signed_request_is_refused(change):
    if decode_v3_uri(change.get("uri", URI)) == decode_v3_uri(URI):
        change.pop("uri", None)
    if change.get("signature") == sign.v3(SECRET, "POST", URI, BODY, NOW_MS) or not change:
        return
    with pytest.raises(InvalidSignature):
        verifier().verify(v3_request(**change))
