"""Ten thousand malformed or mis-signed requests at the webhook receiver (in-process, on the
real Redis): none is answered with a 5xx and none reaches the queue.

Every request is built so that it must be refused or ignored: either its signature cannot
verify (whatever the body holds, valid events included), or it is signed correctly but its
body, content type, method, path or size is wrong, or its events are well-formed but not
activity events. Each kind of request has the answers it may get; the figures are counted
per status and per kind. A correctly signed, valid delivery at the end shows the receiver
under test does enqueue what it should.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.queues import ACTIVITIES_QUEUE
from shared.settings import get_settings
from shared.webhooks.events import WebhookEvent
from tests import webhook_signing as sign
from tests.reliability.conftest import SECRET
from tests.reliability.hostile import header_texts, value_texts
from tests.webhook_receiver.conftest import queued_events
from webhook_receiver import create_app

pytestmark = pytest.mark.slow

PUBLIC_BASE = "https://hooks.example.com"
PATH = "/webhooks/hubspot"
URL = PUBLIC_BASE + PATH
REQUESTS = 10_000
SEED = 26_11_2026
MAX_BODY = 1024 * 1024  # WEBHOOK_MAX_BODY_BYTES
ACTIVITY_TYPE_IDS = ("0-27", "0-46", "0-47", "0-48", "0-49")
REQUIRED_INTS = ("eventId", "subscriptionId", "portalId", "occurredAt")
# Accents, CJK, emoji, right-to-left override, NUL, BOM, a combining mark, the last code
# point, a mathematical digit.
UNICODE = (
    *("é", "ß", "漢字", "🙂", "\u202e", "\u0000", "\ufeff", "a\u0301"),
    *("\U0010ffff", "\U0001d7d8"),
)


@dataclass
class Attempt:
    body: bytes
    headers: dict[str, str]
    method: str = "POST"
    path: str = PATH


# -- bodies ----------------------------------------------------------------------------


def valid_events(rng: random.Random, count: int | None = None) -> list[dict]:
    count = count if count is not None else rng.randint(1, 100)
    return [
        sign.activity_event(
            object_id=rng.randint(1, 10**12),
            event_id=rng.randint(0, 2**31),
            type_id=rng.choice(ACTIVITY_TYPE_IDS),
            subscription=rng.choice(["object.creation", "object.deletion"]),
        )
        for _ in range(count)
    ]


def valid_body(rng: random.Random) -> bytes:
    return sign.body_of(valid_events(rng))


def any_body(rng: random.Random) -> bytes:
    """Anything at all, valid deliveries included: for requests whose signature is wrong."""
    return rng.choice(
        [
            valid_body,
            malformed_body,
            not_utf8,
            huge_numbers,
            unicode_events,
            lambda r: b"\xef\xbb\xbf" + valid_body(r),  # a byte-order mark
            lambda r: b"[" * r.randint(1, 100_000),  # nesting no parser should recurse into
            lambda r: r.randbytes(r.randint(0, 2000)),
            lambda r: b"",
        ]
    )(rng)


def huge_numbers(rng: random.Random) -> bytes:
    events = valid_events(rng, rng.randint(1, 5))
    for event in events:
        event[rng.choice([*REQUIRED_INTS, "objectId"])] = rng.choice(
            [10 ** rng.randint(19, 400), -(10 ** rng.randint(1, 400)), 2**63, 2**64 + 1]
        )
    return json.dumps(events).encode()


def unicode_events(rng: random.Random) -> bytes:
    """Well-formed events naming no activity: unicode where an activity's names go."""
    events = valid_events(rng, rng.randint(1, 5))
    for event in events:
        name = rng.choice(["subscriptionType", "objectTypeId"])
        event[name] = rng.choice(UNICODE) + event[name] + rng.choice(UNICODE)
    return json.dumps(events, ensure_ascii=rng.random() < 0.5).encode()


def malformed_body(rng: random.Random) -> bytes:
    """A body the receiver must refuse with 400 however well it is signed."""
    return rng.choice(MALFORMED)(rng)


def _not_json(rng: random.Random) -> bytes:
    text = valid_body(rng)
    return rng.choice(
        [
            text[: rng.randint(0, len(text) - 1)],  # cut short
            text + b"]",  # trailing garbage
            text.replace(b'"', b"'"),  # single quotes
            b"[" + text + b",]",  # trailing comma
            b"[NaN]",
            b"[{}, Infinity]",
            b"/* comment */" + text,
        ]
    )


def not_utf8(rng: random.Random) -> bytes:
    text = valid_body(rng)
    return rng.choice([b"\xff\xfe" + text, text.replace(b"[", b"[\xc3\x28", 1), text + b"\x80"])


def _not_a_list_of_objects(rng: random.Random) -> bytes:
    event = valid_events(rng, 1)[0]
    return json.dumps(
        rng.choice([event, "events", 42, None, True, {}, [], [1, 2], [[event]], [event, "x"]])
    ).encode()


def _too_many(rng: random.Random) -> bytes:
    return sign.body_of(valid_events(rng, rng.randint(101, 150)))


def _missing_field(rng: random.Random) -> bytes:
    events = valid_events(rng, rng.randint(1, 20))
    victim = rng.choice(events)
    del victim[rng.choice([*REQUIRED_INTS, "subscriptionType"])]
    return sign.body_of(events)


def _wrong_type(rng: random.Random) -> bytes:
    events = valid_events(rng, rng.randint(1, 20))
    victim = rng.choice(events)
    name = rng.choice([*REQUIRED_INTS, "subscriptionType", "attemptNumber", "objectId"])
    wrong = [-1, -(2**70), 1.5, 1e308, "12", True, None, [], {}, ""]
    if name == "subscriptionType":
        wrong = [1, None, "", [], {}, True]
    if name == "objectId":  # optional: null is allowed, so leave it out
        wrong = [x for x in wrong if x is not None]
    victim[name] = rng.choice(wrong)
    return sign.body_of(events)


def _nested(rng: random.Random) -> bytes:
    depth = rng.choice((rng.randint(2, 200), rng.randint(2_000, 20_000)))
    return b"[" * depth + b"]" * depth


MALFORMED: list[Callable[[random.Random], bytes]] = [
    _not_json,
    _not_a_list_of_objects,
    _too_many,
    _missing_field,
    _wrong_type,
    _nested,
]


# -- headers ---------------------------------------------------------------------------


def now_ms() -> int:
    return int(time.time() * 1000)


def v3(body: bytes, secret: str = SECRET, url: str = URL, **kwargs) -> dict[str, str]:
    return sign.v3_headers(secret, url, body, **kwargs)


def mis_signed(rng: random.Random) -> Attempt:
    body = any_body(rng)
    make = rng.choice(MIS_SIGNINGS)
    return Attempt(body, make(body, rng))


def _flip_bit(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return b" "
    index = rng.randrange(len(data))
    return data[:index] + bytes([data[index] ^ (1 << rng.randrange(8))]) + data[index + 1 :]


# Header values arrive as latin-1 text: UTF-8 digits come as mojibake.
BAD_TIMESTAMPS = (
    *("", "abc", "-1", "1e12", "9" * 40, " ", "0x1", "1.5", "+1", str(now_ms()) + "x"),
    "١٢٣".encode().decode("latin-1"),
    "\u00b2\u00b3",  # superscript digits: str.isdigit() says yes, int() says no
)
MIS_SIGNINGS: list[Callable[[bytes, random.Random], dict[str, str]]] = [
    lambda b, r: {"Content-Type": "application/json"},
    lambda b, r: v3(b, secret=r.choice(["wrong", SECRET[:-1], SECRET.upper(), SECRET + " "])),
    lambda b, r: v3(b, timestamp_ms=now_ms() - 300_001 - r.randint(0, 10**10)),  # stale
    lambda b, r: v3(b, timestamp_ms=now_ms() + 300_001 + r.randint(0, 10**10)),  # future
    lambda b, r: v3(_flip_bit(b, r)),  # signed another body
    lambda b, r: v3(b + b" "),
    lambda b, r: v3(b, url=r.choice(["http://hooks.example.com", "https://evil.example"]) + PATH),
    lambda b, r: v3(b, url=URL + "?x=1"),
    lambda b, r: v3(b, method=r.choice(["GET", "PUT", "post"])),
    lambda b, r: {**v3(b), "X-HubSpot-Signature-v3": _flip_signature(v3(b), r)},
    lambda b, r: {**v3(b), "X-HubSpot-Request-Timestamp": r.choice(BAD_TIMESTAMPS)},
    lambda b, r: {**v3(b), "X-HubSpot-Signature-v3": r.choice(["", "é" * 20, "A" * 10_000])},
    lambda b, r: {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": r.choice(["v1", "V2", "v2 "]),
        "X-HubSpot-Signature": r.choice([sign.v1("wrong", b), sign.v2("wrong", "POST", URL, b)]),
    },
    lambda b, r: {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-Version": r.choice(["v4", "", "1", "v3", "vv1"]),
        "X-HubSpot-Signature": sign.v1(SECRET, b),
    },
    lambda b, r: {  # another delivery's valid signature
        **v3(valid_body(r)),
        "Content-Type": "application/json",
    },
]


def _flip_signature(headers: dict[str, str], rng: random.Random) -> str:
    signature = headers["X-HubSpot-Signature-v3"]
    index = rng.randrange(len(signature) - 1)  # not the final "=" padding
    replacement = rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ+/" if c != signature[index]])
    return signature[:index] + replacement + signature[index + 1 :]


# -- kinds of requests: what to send, and the answers it may get -------------------------


def signed_malformed(rng: random.Random) -> Attempt:
    body = malformed_body(rng)
    return Attempt(body, v3(body))


def signed_not_utf8(rng: random.Random) -> Attempt:
    """Signatures are computed over text, so a body that is not UTF-8 cannot verify."""
    body = not_utf8(rng)
    return Attempt(body, v3(body))


def signed_not_activities(rng: random.Random) -> Attempt:
    body = unicode_events(rng)
    return Attempt(body, v3(body))


def wrong_content_type(rng: random.Random) -> Attempt:
    body = valid_body(rng)
    content_type = rng.choice(
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "json",
            "",
            "text/json",
            "application/javascript",
        ]
    )
    return Attempt(body, {**v3(body), "Content-Type": content_type})


def wrong_method(rng: random.Random) -> Attempt:
    method = rng.choice(["GET", "PUT", "PATCH", "DELETE", "HEAD"])
    body = valid_body(rng)
    return Attempt(body, v3(body, method=method), method=method)


def wrong_path(rng: random.Random) -> Attempt:
    path = rng.choice(
        [PATH + "/", PATH + "/x", "/webhooks/HubSpot", "/webhook/hubspot", "/webhooks"]
    )
    body = valid_body(rng)
    return Attempt(body, v3(body, url=PUBLIC_BASE + path), path=path)


def oversized(rng: random.Random) -> Attempt:
    body = b"[" + b" " * (MAX_BODY + rng.randint(0, 65_536)) + b"]"
    return Attempt(body, v3(body))


KINDS: dict[str, tuple[Callable[[random.Random], Attempt], float, set[int]]] = {
    "mis-signed": (mis_signed, 0.55, {401}),
    "signed, malformed body": (signed_malformed, 0.24, {400}),
    "signed, not UTF-8": (signed_not_utf8, 0.01, {401}),
    "signed, no activity events": (signed_not_activities, 0.05, {200}),
    "wrong content type": (wrong_content_type, 0.07, {415}),
    "wrong method": (wrong_method, 0.04, {405}),
    "wrong path": (wrong_path, 0.035, {404}),
    "oversized": (oversized, 0.005, {413}),
}


# -- the tests -------------------------------------------------------------------------


@pytest.fixture
def client(redis_url, monkeypatch):
    monkeypatch.setenv("WEBHOOK_PUBLIC_BASE_URL", PUBLIC_BASE)
    get_settings.cache_clear()
    return create_app().test_client()


@pytest.fixture
def broker(redis_url) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def send(client, attempt: Attempt):
    return client.open(
        attempt.path, method=attempt.method, data=attempt.body, headers=attempt.headers
    )


def test_ten_thousand_bad_requests_get_no_5xx_and_enqueue_nothing(client, broker):
    rng = random.Random(SEED)
    names = list(KINDS)
    weights = [KINDS[name][1] for name in names]
    statuses: Counter[int] = Counter()
    per_kind: dict[str, Counter[int]] = defaultdict(Counter)
    unexpected: list[str] = []
    started = time.monotonic()

    for _ in range(REQUESTS):
        kind = rng.choices(names, weights)[0]
        build, _, expected = KINDS[kind]
        response = send(client, build(rng))
        statuses[response.status_code] += 1
        per_kind[kind][response.status_code] += 1
        accepted = (response.get_json(silent=True) or {}).get("accepted", 0)
        if response.status_code not in expected or accepted:
            unexpected.append(f"{kind}: {response.status_code} {response.get_data()[:200]!r}")
    seconds = time.monotonic() - started
    queued = broker.llen(ACTIVITIES_QUEUE)

    figures = (
        f"requests {REQUESTS} in {seconds:.1f} s; by status {dict(sorted(statuses.items()))}; "
        f"by kind { ({k: dict(v) for k, v in per_kind.items()}) }; 5xx "
        f"{sum(n for s, n in statuses.items() if s >= 500)}; enqueued {queued}; "
        f"unexpected {len(unexpected)} {unexpected[:5]}"
    )
    print(f"\n[receiver fuzz] {figures}")
    assert not [s for s in statuses if s >= 500], figures
    assert queued == 0, figures
    assert not unexpected, figures
    control = sign.body_of(valid_events(rng, 3))
    assert send(client, Attempt(control, v3(control))).json["accepted"] == 3, figures
    assert broker.llen(ACTIVITIES_QUEUE) == 1, figures


NOT_AN_INT = st.one_of(
    st.integers(max_value=-1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
)


@st.composite
def broken_deliveries(draw) -> list[dict]:
    """Deliveries of 1 to 100 events where at least one required field of one event is of
    the wrong type; the rest are anything JSON allows."""
    count = draw(st.integers(1, 100))
    events = [
        sign.activity_event(object_id=draw(st.integers(0, 2**64)), event_id=n) for n in range(count)
    ]
    victim = events[draw(st.integers(0, count - 1))]
    victim[draw(st.sampled_from(REQUIRED_INTS))] = draw(NOT_AN_INT)
    extra = draw(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3))
    events[0] = {**extra, **events[0]}
    return events


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=broken_deliveries())
def test_signed_deliveries_with_an_invalid_field_get_400(client, broker, events):
    body = json.dumps(events).encode()

    response = send(client, Attempt(body, v3(body)))

    assert response.status_code == 400, response.get_data()[:300]
    assert broker.llen(ACTIVITIES_QUEUE) == 0


def test_a_signed_deeply_nested_body_gets_400(client, broker):
    answers = Counter()
    for body in (b"[" * 100_000, b"[" * 5_000 + b"]" * 5_000, b'[{"a":' * 3_000):
        answers[send(client, Attempt(body, v3(body))).status_code] += 1

    print(f"\n[receiver fuzz, nesting] statuses {dict(answers)}")
    assert answers == {400: 3}, dict(answers)
    assert broker.llen(ACTIVITIES_QUEUE) == 0


def test_a_timestamp_of_superscript_digits_gets_401(client, broker):
    body = valid_body(random.Random(SEED))
    headers = {**v3(body), "X-HubSpot-Request-Timestamp": "\u00b2\u00b3"}

    response = send(client, Attempt(body, headers))

    print(f"\n[receiver fuzz, timestamp] status {response.status_code}")
    assert response.status_code == 401, response.status_code
    assert broker.llen(ACTIVITIES_QUEUE) == 0


# -- generated: hostile values inside signed events, hostile signature headers ----------

EVENT_FIELDS = (
    *REQUIRED_INTS,
    *("objectId", "attemptNumber", "subscriptionType", "objectTypeId", "propertyName"),
    *("propertyValue", "changeSource", "someFieldHubSpotMightAdd"),
)


@st.composite
def deliveries_with_a_hostile_value(draw) -> bytes:
    """Signed-to-be deliveries of property changes where one field of one event holds
    whatever ``value_texts`` makes: huge numbers, deep nesting, bad Unicode, wrong types."""
    count = draw(st.integers(1, 5))
    events = [
        sign.activity_event(
            object_id=draw(st.integers(1, 10**12)),
            event_id=n,
            subscription="object.propertyChange",
            propertyName="hs_note_body",
            propertyValue="a changed note",
        )
        for n in range(count)
    ]
    events[draw(st.integers(0, count - 1))][draw(st.sampled_from(EVENT_FIELDS))] = "@hostile"
    return json.dumps(events).replace('"@hostile"', draw(value_texts()), 1).encode()


def forwardable(message: list[dict]) -> bool:
    """What a worker needs of an enqueued message: events it validates, as strict JSON
    that encodes to UTF-8 again."""
    json.dumps(message, allow_nan=False).encode("utf-8")
    return all(WebhookEvent.model_validate(event) for event in message)


GENERATED = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@GENERATED
@given(body=deliveries_with_a_hostile_value())
def test_signed_deliveries_with_hostile_values_get_no_5xx(client, broker, body):
    broker.delete(ACTIVITIES_QUEUE)

    response = send(client, Attempt(body, v3(body)))

    assert response.status_code in (200, 400), (response.status_code, response.get_data()[:300])
    queued = queued_events(broker)
    if response.status_code == 400:
        assert response.json["message"] and queued == []
    else:
        assert all(forwardable(message) for message in queued)


@GENERATED
@given(
    timestamp=header_texts,
    signature=st.one_of(st.none(), header_texts),
    version=st.one_of(st.none(), header_texts),
)
def test_hostile_signature_headers_get_401_and_enqueue_nothing(
    client, broker, timestamp, signature, version
):
    broker.delete(ACTIVITIES_QUEUE)
    body = sign.body_of(valid_events(random.Random(SEED), 3))
    headers = {**v3(body), "X-HubSpot-Request-Timestamp": timestamp}
    if signature is not None:
        headers["X-HubSpot-Signature-v3"] = signature
    if version is not None:
        headers |= {"X-HubSpot-Signature-Version": version, "X-HubSpot-Signature": signature or ""}

    response = send(client, Attempt(body, headers))

    assert response.status_code == 401, (response.status_code, response.get_data()[:300])
    assert queued_events(broker) == []
