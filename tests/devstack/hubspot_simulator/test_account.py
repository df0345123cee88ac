"""The account's details, through the SDK's typed `account.get()`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hubspot_sdk.types.account import PortalInformationResponse

from tests.devstack.hubspot_simulator.support import PORTAL_ID, Running


def test_details_answer_the_configured_portal_and_time_zone(start_simulator: Any) -> None:
    sim = start_simulator(time_zone="Europe/Berlin")

    details = sim.client.account.get()

    assert isinstance(details, PortalInformationResponse)
    assert (details.portal_id, details.time_zone) == (PORTAL_ID, "Europe/Berlin")
    offset = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    assert offset is not None
    # +01:00 in winter, +02:00 in summer: the offset is the zone's now.
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    assert details.utc_offset == f"+{hours:02d}:{minutes:02d}"
    assert details.utc_offset_milliseconds == offset.total_seconds() * 1000


@pytest.mark.parametrize(
    ("time_zone", "utc_offset", "milliseconds"),
    [  # zones without daylight saving time, so the answer is the same all year
        ("Asia/Kolkata", "+05:30", 19_800_000),
        ("America/Phoenix", "-07:00", -25_200_000),
        ("UTC", "+00:00", 0),
    ],
)
def test_utc_offset_is_signed_hours_and_minutes(
    start_simulator: Any, time_zone: str, utc_offset: str, milliseconds: int
) -> None:
    details = start_simulator(time_zone=time_zone).client.account.get()

    assert (details.utc_offset, details.utc_offset_milliseconds) == (utc_offset, milliseconds)


def test_details_default_to_the_configured_defaults(sim: Running) -> None:
    details = sim.client.account.get()

    assert (details.time_zone, details.company_currency) == ("America/New_York", "USD")
    assert details.account_type == "STANDARD"
