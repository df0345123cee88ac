"""Reading the webhooks journal of every account the app is (or may still be) installed in.

For each account, batch after batch until its journal has nothing new: lifecycle events are
acted on, CRM events are handed to ``handle_events`` (the pipeline's intake takes them as it
takes a webhook delivery's), and only then is the batch's offset stored. An account whose
journal cannot be read now is reported and read again on the next run; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import redis

from shared.accounts.app_token import AppToken
from shared.accounts.journal import JournalReader, JournalUnavailable
from shared.accounts.journal_entries import APP_INSTALL, APP_UNINSTALL, JournalEvents
from shared.accounts.lifecycle import Lifecycle
from shared.accounts.oauth import OAuthUnavailable
from shared.accounts.tokens import AccountTokens, build_account_tokens
from shared.metrics import Metrics
from shared.settings import Settings
from shared.store.accounts import AccountFunctions
from shared.webhooks.events import WebhookEvent

# Bounds one run's work per account (10,000 entries); the next run goes on from there.
MAX_BATCHES_PER_RUN = 100

EventHandler = Callable[[list[WebhookEvent]], object]


@dataclass
class JournalReport:
    accounts: int = 0
    crm_events: int = 0
    installs: int = 0
    uninstalls: int = 0
    not_understood: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # portal id -> why, read next run

    def add(self, events: JournalEvents) -> None:
        actions = [event.action for event in events.lifecycle]
        self.crm_events += len(events.crm)
        self.installs += actions.count(APP_INSTALL)
        self.uninstalls += actions.count(APP_UNINSTALL)
        self.not_understood += events.not_understood


@dataclass(frozen=True)
class Journals:
    store: AccountFunctions
    reader: JournalReader
    lifecycle: Lifecycle
    metrics: Metrics | None = None

    def read_all(self, handle_events: EventHandler) -> JournalReport:
        """Every account's journal, once through; raises ``JournalRefused`` when HubSpot
        refuses the app itself (the same for every account)."""
        report = JournalReport()
        for portal_id in self.store.journal_accounts():
            report.accounts += 1
            try:
                self.read_account(portal_id, handle_events, into=report)
            except (JournalUnavailable, OAuthUnavailable) as exc:
                report.failed[portal_id] = str(exc)
        return report

    def read_account(
        self, portal_id: int, handle_events: EventHandler, into: JournalReport | None = None
    ) -> JournalReport:
        """One account's journal until nothing is new (at most ``MAX_BATCHES_PER_RUN``);
        raises ``JournalUnavailable`` or ``OAuthUnavailable`` with the batch unconfirmed."""
        report = into if into is not None else JournalReport(accounts=1)
        for _ in range(MAX_BATCHES_PER_RUN):
            batch = self.reader.read(portal_id)
            if batch.offset is None:
                break
            self.lifecycle.handle(batch.events.lifecycle)
            handle_events(batch.events.crm)
            self.reader.confirm(batch)
            report.add(batch.events)
            self._count(batch.events)
        return report

    def _count(self, events: JournalEvents) -> None:
        if self.metrics is None:
            return
        kinds = [event.action.lower() for event in events.lifecycle]
        kinds += ["crm"] * len(events.crm) + ["not_understood"] * events.not_understood
        for kind in set(kinds):
            self.metrics.count("hubspot_journal_entries_total", kinds.count(kind), kind=kind)


def build_journals(
    settings: Settings, store: AccountFunctions, client: redis.Redis, metrics: Metrics | None
) -> Journals:
    """The journal readers of OAuth installs, as configured."""
    tokens: AccountTokens = build_account_tokens(settings, store, client, metrics)
    reader = JournalReader(
        settings.hubspot_api_base,
        settings.hubspot_api_version,
        AppToken(tokens.oauth, tokens.cipher, client),
        client,
        settings.hubspot_timeout_seconds,
    )
    grace = timedelta(days=settings.hubspot_uninstall_grace_days)
    return Journals(store, reader, Lifecycle(tokens, grace), metrics)
