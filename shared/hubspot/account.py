"""The HubSpot account the service serves: its id (``portalId``), time zone and web address.

Read from HubSpot's account-info API and kept in Redis, where every process shares it, and
read again once a day. When HubSpot cannot be reached the last copy keeps serving: a time
zone or an account id does not change between two reads often enough to stop the pipeline
for it.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import redis

from shared.account_keys import account_key
from shared.hubspot.errors import HubSpotError
from shared.logging import get_logger

ACCOUNT_KEY = "hubspot:account"  # the static token's account; an OAuth install's is its own
REFRESH_SECONDS = 24 * 60 * 60

log = get_logger(__name__)


DEFAULT_UI_DOMAIN = "app.hubspot.com"


@dataclass(frozen=True)
class AccountDetails:
    portal_id: int
    time_zone: str
    ui_domain: str = DEFAULT_UI_DOMAIN  # app-eu1.hubspot.com for an account hosted in the EU

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def record_url(self, object_type_id: str, record_id: str) -> str:
        """Where a rep opens a CRM record (a contact is ``0-1``, a company ``0-2``)."""
        return f"https://{self.ui_domain}/contacts/{self.portal_id}/record/{object_type_id}/{record_id}"


class Requester(Protocol):
    """What reads the account's details: the HubSpot client's one named request. (The client
    itself reads the kept copy for its daily cap, so this module does not import it.)"""

    def request(self, name: str) -> dict[str, Any]: ...


class AccountDirectory:
    """The account's details, from Redis when fresh, else from HubSpot (then kept).

    ``portal_id``: the OAuth install whose client ``hubspot`` is; None for the static token's
    account, whichever it is.
    """

    def __init__(
        self,
        client: redis.Redis,
        hubspot: Requester,
        refresh_seconds: float = REFRESH_SECONDS,
        portal_id: int | None = None,
    ) -> None:
        self.redis = client
        self.hubspot = hubspot
        self.refresh_seconds = refresh_seconds
        self.portal_id = portal_id

    def details(self) -> AccountDetails:
        """Raises ``HubSpotError`` only when HubSpot has never answered."""
        kept, read_at = kept_account(self.redis, self.portal_id)
        if kept is not None and time.time() - read_at < self.refresh_seconds:
            return kept
        try:
            return self.refresh()
        except HubSpotError as exc:
            if kept is None:
                raise
            age = round(time.time() - read_at)
            log.warning("account_details_stale", error=str(exc)[:300], age_seconds=age)
            return kept

    def known(self) -> AccountDetails | None:
        """The kept copy, however old, without asking HubSpot."""
        return kept_account(self.redis, self.portal_id)[0]

    def refresh(self) -> AccountDetails:
        answer = self.hubspot.request("account_details")
        details = AccountDetails(
            int(answer["portalId"]),
            str(answer["timeZone"]),
            str(answer.get("uiDomain") or DEFAULT_UI_DOMAIN),
        )
        try:
            details.zone  # noqa: B018 - HubSpot's zone must be one Python knows
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise HubSpotError(f"account details: unknown time zone {details.time_zone!r}") from exc
        if self.portal_id is not None and details.portal_id != self.portal_id:
            # Never keep (or act on) another account's details under this one's name.
            raise HubSpotError(
                f"account details: the token of account {self.portal_id} reaches "
                f"account {details.portal_id}"
            )
        record = {**asdict(details), "read_at": time.time()}
        self.redis.set(_details_key(self.portal_id), json.dumps(record))
        return details


def kept_account(
    client: redis.Redis, portal_id: int | None = None
) -> tuple[AccountDetails | None, float]:
    """The details kept in Redis and when they were read (epoch seconds); (None, 0) if none.
    ``portal_id``: an OAuth install's; None: the static token's account."""
    raw = client.get(_details_key(portal_id))
    if not raw:
        return None, 0.0
    record = json.loads(raw)
    details = AccountDetails(
        record["portal_id"], record["time_zone"], record.get("ui_domain", DEFAULT_UI_DOMAIN)
    )
    return details, float(record["read_at"])


def _details_key(portal_id: int | None) -> str:
    return ACCOUNT_KEY if portal_id is None else account_key(portal_id, "details")
