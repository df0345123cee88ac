"""HubSpot's daily limit, against the simulator's daily count: noticed, respected, reset."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import redis

from shared.hubspot.account import AccountDirectory
from shared.hubspot.client import build_client
from shared.hubspot.daily_cap import CAP_KEY, DailyCap, DailyCapReached, next_reset
from shared.hubspot.fetch import fetch_activity
from shared.hubspot.models import KIND_BY_NAME
from shared.settings import get_settings


@pytest.fixture
def capped(start_simulator, redis_url):
    """A simulator allowing 3 calls a day, and a client that shares Redis with the fleet."""
    handle = start_simulator(daily_limit=3, time_zone="America/Chicago")
    return handle, build_client(get_settings(), redis.Redis.from_url(redis_url))


def test_the_last_call_of_the_day_stops_every_later_call(capped, redis_url):
    simulator, client = capped
    note = KIND_BY_NAME["note"]
    AccountDirectory(client.daily_cap.redis, client).details()  # 1: the account's zone

    client.batch_read("notes", ["1"], ["hs_timestamp"])  # 2
    client.batch_read("notes", ["1"], ["hs_timestamp"])  # 3: remaining is now 0
    requests_before = simulator.simulator.stats.snapshot()["requests"]["total"]
    with pytest.raises(DailyCapReached) as caught:
        fetch_activity(client, note, "1")

    assert simulator.simulator.stats.snapshot()["requests"]["total"] == requests_before
    chicago_midnight = caught.value.until.astimezone(ZoneInfo("America/Chicago"))
    assert (chicago_midnight.hour, chicago_midnight.minute) == (0, 0)
    assert caught.value.until > datetime.now(UTC)
    another_process = DailyCap(redis.Redis.from_url(redis_url))
    assert another_process.until() == caught.value.until
    assert another_process.remaining() == 0


def test_a_daily_refusal_trips_the_cap_too(capped, redis_url):
    simulator, client = capped
    simulator.simulator.limiter.daily_limit = 0  # HubSpot refuses the very first call

    with pytest.raises(DailyCapReached):
        client.batch_read("notes", ["1"], ["hs_timestamp"])

    assert client.calls["batch_read"] == 1  # a daily refusal is not retried
    assert DailyCap(redis.Redis.from_url(redis_url)).until() is not None


def test_calls_resume_once_the_cap_has_expired(capped, redis_url):
    simulator, client = capped
    client.daily_cap.reach()
    simulator.simulator.limiter.reset()  # HubSpot's midnight
    redis.Redis.from_url(redis_url).delete(CAP_KEY)  # the key's own expiry, at that midnight

    assert client.batch_read("notes", ["1"], ["hs_timestamp"]) is not None


def test_the_reset_is_midnight_in_the_accounts_zone_or_utc_before_it_is_known(redis_url):
    client = redis.Redis.from_url(redis_url)
    late_evening_utc = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)

    assert next_reset(client, late_evening_utc) == datetime(2026, 12, 6, tzinfo=UTC)
    client.set(
        "hubspot:account", '{"portal_id": 1, "time_zone": "Asia/Tokyo", "read_at": 0}'
    )  # 08:30 on the 6th in Tokyo: its midnight is the 7th
    assert next_reset(client, late_evening_utc) == datetime(2026, 12, 6, 15, tzinfo=UTC)


def test_a_write_is_reported_done_when_redis_dies_before_its_count_is_recorded(capped, monkeypatch):
    """Redis answered the check before the call and is gone when the answer comes back."""
    _simulator, client = capped
    monkeypatch.setattr(client.daily_cap, "check", lambda: None)
    client.daily_cap.redis = redis.Redis(port=1, socket_connect_timeout=0.2)  # nothing listens

    created = client.create_task({"hs_timestamp": "2026-12-10T17:00:00Z"}, {})

    assert created["id"]  # the task exists in HubSpot, and the caller knows it
