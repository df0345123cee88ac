"""The account's details: read from HubSpot (the simulator), kept in Redis, refreshed daily."""

import json

import pytest
import redis

from shared.hubspot.account import ACCOUNT_KEY, AccountDetails, AccountDirectory
from shared.hubspot.client import HubSpotClient
from shared.hubspot.errors import HubSpotError
from shared.settings import get_settings


@pytest.fixture
def berlin(start_simulator):
    return start_simulator(time_zone="Europe/Berlin")


def directory(url: str, redis_url: str, **options) -> AccountDirectory:
    token = get_settings().hubspot_access_token.get_secret_value()
    client = HubSpotClient(token, url, timeout=5, max_attempts=1)
    return AccountDirectory(redis.Redis.from_url(redis_url), client, **options)


def test_details_come_from_hubspot_once_then_from_redis(berlin, redis_url):
    first = directory(berlin.url, redis_url)
    second = directory(berlin.url, redis_url)  # another process

    assert first.details() == AccountDetails(berlin.simulator.config.portal_id, "Europe/Berlin")
    assert second.details().time_zone == "Europe/Berlin"
    assert first.hubspot.calls["account_details"] == 1
    assert second.hubspot.calls["account_details"] == 0


def test_details_are_read_again_once_the_day_is_over(berlin, redis_url):
    accounts = directory(berlin.url, redis_url, refresh_seconds=0)

    accounts.details()
    accounts.details()

    assert accounts.hubspot.calls["account_details"] == 2


def test_the_kept_copy_serves_while_hubspot_cannot_be_reached(berlin, redis_url):
    accounts = directory(berlin.url, redis_url, refresh_seconds=0)
    accounts.details()
    accounts.hubspot.api_version = "2025-01"  # every call now fails

    assert accounts.details().time_zone == "Europe/Berlin"


def test_without_any_answer_from_hubspot_it_is_an_error(berlin, redis_url):
    accounts = directory(berlin.url, redis_url)
    accounts.hubspot.api_version = "2025-01"

    with pytest.raises(HubSpotError):
        accounts.details()
    assert accounts.known() is None


def test_a_time_zone_python_does_not_know_is_refused(start_simulator, redis_url):
    odd = start_simulator(time_zone="Mars/Olympus_Mons")
    accounts = directory(odd.url, redis_url)

    with pytest.raises(HubSpotError, match="Mars/Olympus_Mons"):
        accounts.details()
    assert redis.Redis.from_url(redis_url).get(ACCOUNT_KEY) is None


def test_records_open_on_the_accounts_own_web_address(redis_url):
    client = redis.Redis.from_url(redis_url)
    eu = AccountDetails(26000111, "Europe/Berlin", "app-eu1.hubspot.com")
    older = {"portal_id": 26000111, "time_zone": "Europe/Berlin", "read_at": 1.0}  # no domain
    client.set(ACCOUNT_KEY, json.dumps(older))

    assert (
        eu.record_url("0-1", "51") == "https://app-eu1.hubspot.com/contacts/26000111/record/0-1/51"
    )
    assert AccountDirectory(client, None).known().ui_domain == "app.hubspot.com"
