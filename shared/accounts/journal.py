"""One install's webhooks journal (the local journal, 2026-03), read a batch at a time from
the offset this service stored for the account.

HubSpot keeps each install's events for 3 days. A batch lists up to ``BATCH_SIZE`` entries
after an offset (``batch/{offset}/next/{count}``; the first time, ``batch/earliest/{count}``),
each with a pre-signed ``url`` serving the entry's file, fetched without the app's token.
The offset is stored (Redis, per account) only when the caller confirms the batch was
handled, so a failure half-way reads the same entries again next time. An offset HubSpot no
longer keeps (404: nothing read it for 3 days) starts the account over from its earliest
entry, which is logged.

One attempt per call, each within ``timeout`` (and the task's budget): a timeout, a 401, a
429 or a 5xx raises ``JournalUnavailable`` and the caller, a periodic task, tries again on
its next run. Other refusals raise ``JournalRefused``: trying again will not help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import redis

from shared.accounts.app_token import AppToken
from shared.accounts.journal_entries import JournalEvents, sort_entries
from shared.accounts.oauth import OAuthRefused, OAuthUnavailable
from shared.deadline import call_timeout
from shared.logging import get_logger
from shared.redis_text import as_text

BATCH_SIZE = 100  # the most HubSpot's batch endpoints take

log = get_logger(__name__)


class JournalUnavailable(Exception):
    """The journal could not be read now; the stored offset has not moved."""


class JournalRefused(Exception):
    """HubSpot refused to serve the journal (a missing scope, an unknown app)."""


class _NotFound(Exception):
    """A 404: for a read after an offset, HubSpot no longer keeps that offset."""


@dataclass(frozen=True)
class JournalBatch:
    portal_id: int
    offset: str | None  # the last entry's: stored once the batch is handled; None when empty
    events: JournalEvents


class JournalReader:
    def __init__(
        self,
        base_url: str,
        version: str,
        app_token: AppToken,
        client: redis.Redis,
        timeout: float,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"))
        self._path = f"/webhooks-journal/journal-local/{version}"
        self.app_token = app_token
        self.redis = client
        self.timeout = timeout
        self.batch_size = batch_size

    def read(self, portal_id: int) -> JournalBatch:
        """The next entries after the stored offset (none when the journal has no more)."""
        listed = self._listing(portal_id, self.stored_offset(portal_id))
        files = [self._file(entry) for entry in listed]
        offset = listed[-1]["currentOffset"] if listed else None
        return JournalBatch(portal_id, offset, sort_entries(files))

    def confirm(self, batch: JournalBatch) -> None:
        """The batch was handled: the next read starts after it."""
        if batch.offset is not None:
            self.redis.set(offset_key(batch.portal_id), batch.offset)

    def stored_offset(self, portal_id: int) -> str | None:
        stored = self.redis.get(offset_key(portal_id))
        return as_text(stored) if stored else None

    def close(self) -> None:
        self._http.close()

    def _listing(self, portal_id: int, after: str | None) -> list[dict[str, Any]]:
        if after is not None:
            try:
                return self._results(self._get(f"batch/{after}/next/{self.batch_size}", portal_id))
            except _NotFound:
                log.warning("hubspot_journal_offset_expired", portal_id=portal_id)
        try:
            return self._results(self._get(f"batch/earliest/{self.batch_size}", portal_id))
        except _NotFound:
            raise JournalRefused(f"HubSpot has no journal for account {portal_id}") from None

    def _get(self, path: str, portal_id: int) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token()}"}
        params = {"installPortalId": str(portal_id)}
        response = self._call(f"{self._path}/{path}", headers=headers, params=params)
        if response.status_code == 401:
            self.app_token.forget()
            raise JournalUnavailable("HubSpot refused the app's journal token (401)")
        if response.status_code == 404:
            raise _NotFound
        if response.status_code >= 400:
            raise JournalRefused(f"the webhooks journal answered {response.status_code}")
        return response

    def _file(self, entry: dict[str, Any]) -> Any:
        """An entry's file, from its pre-signed URL (no Authorization header); None, which
        is counted as not understood, for an entry without one."""
        url = entry.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            return None
        response = self._call(url)
        if response.status_code != 200:
            raise JournalUnavailable(f"a journal file answered {response.status_code}")
        return _json(response)

    def _call(self, url: str, **request: Any) -> httpx.Response:
        try:
            response = self._http.get(url, timeout=call_timeout(self.timeout), **request)
        except httpx.HTTPError as exc:
            raise JournalUnavailable(f"the webhooks journal did not answer: {exc}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise JournalUnavailable(f"the webhooks journal answered {response.status_code}")
        return response

    def _token(self) -> str:
        try:
            return self.app_token.access_token()
        except OAuthUnavailable as exc:
            raise JournalUnavailable(f"no token for the webhooks journal: {exc}") from None
        except OAuthRefused as exc:
            raise JournalRefused(f"no token for the webhooks journal: {exc}") from None

    @staticmethod
    def _results(response: httpx.Response) -> list[dict[str, Any]]:
        """A batch's entries; none when nothing follows (HubSpot's reference does not say
        whether that is an empty batch or a 204, so either is taken)."""
        if response.status_code == 204:
            return []
        answer = _json(response)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list):
            raise JournalUnavailable("the webhooks journal's batch had no results")
        return [
            entry
            for entry in results
            if isinstance(entry, dict) and isinstance(entry.get("currentOffset"), str)
        ]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise JournalUnavailable("the webhooks journal answered something not JSON") from None


def offset_key(portal_id: int) -> str:
    return f"hubspot:journal:{portal_id}:offset"
