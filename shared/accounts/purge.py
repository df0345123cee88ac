"""Purging what the app stored for the accounts it was uninstalled from, once their grace
period (``HUBSPOT_UNINSTALL_GRACE_DAYS`` after the uninstall) is over: the account's rows in
the database (``app_purge_account``) and its keys in Redis. Logged and counted with the
account's id and how many rows went, nothing of what they held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.logging import get_logger
from shared.metrics import Metrics
from shared.store.accounts import AccountFunctions, RowCounts

log = get_logger(__name__)


@dataclass(frozen=True)
class PurgedAccount:
    portal_id: int
    rows: RowCounts


def purge_due_accounts(
    store: AccountFunctions, drop_cached: Callable[[int], object], metrics: Metrics
) -> list[PurgedAccount]:
    """Every account due (``AccountFunctions.accounts_to_purge``), purged; ``drop_cached``
    deletes what Redis keeps for an account, given its id."""
    purged = []
    for portal_id in store.accounts_to_purge():
        # Redis first: should the purge fail after it, the account is still due and the next
        # run does both again, while the other order could record a purge with the account's
        # texts still cached.
        drop_cached(portal_id)
        rows = store.purge_account(portal_id)
        if rows is None:
            continue  # installed again, or purged by another run, since it was listed
        metrics.count("hubspot_accounts_purged_total")
        log.info("hubspot_account_purged", portal_id=portal_id, **rows.counts)
        purged.append(PurgedAccount(portal_id, rows))
    return purged
