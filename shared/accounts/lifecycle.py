"""Acting on the app's installs and uninstalls, as the webhooks journal reports them.

An uninstall marks the account ``uninstalled``: its tokens are deleted and its stored text is
purged after ``HUBSPOT_UNINSTALL_GRACE_DAYS``. The journal is read late (up to its 3 days, and
from its start the first time), so an uninstall may have been followed by a new install since;
HubSpot invalidates an account's tokens when the app is uninstalled, so an account whose
current token HubSpot still takes was installed again and the old uninstall is passed over.
An install is only logged: installs arrive through the OAuth callback, with their tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.accounts.journal_entries import APP_UNINSTALL, LifecycleEvent
from shared.accounts.oauth import OAuthRefused
from shared.accounts.tokens import AccountTokens
from shared.hubspot.errors import AccountUnavailable
from shared.logging import get_logger

UNINSTALL_REASON = "the app was uninstalled (APP_UNINSTALL in the webhooks journal)"

log = get_logger(__name__)


class Lifecycle:
    def __init__(self, tokens: AccountTokens, grace: timedelta) -> None:
        self.tokens = tokens
        self.grace = grace

    def handle(self, events: list[LifecycleEvent]) -> None:
        """Raises ``OAuthUnavailable`` when HubSpot cannot say whether an account is
        installed again: the events are handled on the next read."""
        for event in events:
            log.info(
                "hubspot_app_lifecycle",
                portal_id=event.portal_id,
                action=event.action,
                occurred_at=event.occurred_at.isoformat(),
            )
            if event.action == APP_UNINSTALL:
                self._uninstalled(event.portal_id)

    def _uninstalled(self, portal_id: int) -> None:
        if self._token_still_taken(portal_id):
            log.info("hubspot_app_uninstall_superseded", portal_id=portal_id)
            return
        purge_after = datetime.now(UTC) + self.grace
        self.tokens.disconnect(portal_id, "uninstalled", UNINSTALL_REASON, purge_after)

    def _token_still_taken(self, portal_id: int) -> bool:
        try:
            self.tokens.oauth.account_of(self.tokens.access_token(portal_id))
        except (AccountUnavailable, OAuthRefused):
            return False
        return True
