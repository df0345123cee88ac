"""The accounts' rows (``hubspot_accounts``), through the SQL functions of the migrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.store.base import FunctionCaller, as_time

ROW_KINDS = ("runs", "drafts", "recommendations", "opportunities", "jobs", "rep_owners", "sessions")


@dataclass(frozen=True)
class StoredAccount:
    portal_id: int
    status: str
    status_reason: str | None
    access_token_enc: str | None
    refresh_token_enc: str | None
    access_expires_at: datetime | None


@dataclass(frozen=True)
class RowCounts:
    """How many rows of each kind (``ROW_KINDS``), e.g. those without an account."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        return ", ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in self.counts.items() if n)


class AccountFunctions(FunctionCaller):
    def unowned_rows(self) -> RowCounts:
        """The rows stored before every row knew its HubSpot account, and not adopted since."""
        return self._row_counts(self.rpc("app_unowned_rows", {}))

    def adopt_rows(self, portal_id: int) -> RowCounts:
        """Give every row without an account to ``portal_id``, at once; what was adopted."""
        return self._row_counts(self.rpc("app_adopt_rows", {"p_portal_id": portal_id}))

    def accounts_to_purge(self) -> list[int]:
        """The uninstalled accounts past their grace period whose rows are not purged yet."""
        return [int(row["portal_id"]) for row in self.rpc("app_accounts_to_purge", {})]

    def purge_account(self, portal_id: int) -> RowCounts | None:
        """Delete the account's rows if it is due (see ``accounts_to_purge``) and record the
        purge: how many rows went; None when it was not due, which a second call is not."""
        rows = self.rpc("app_purge_account", {"p_portal_id": portal_id})
        return self._row_counts(rows) if rows else None

    @staticmethod
    def _row_counts(rows: list[dict[str, int]]) -> RowCounts:
        return RowCounts({kind: int(rows[0][kind]) for kind in ROW_KINDS})

    def install_account(
        self,
        portal_id: int,
        access_token_enc: str,
        refresh_token_enc: str,
        access_expires_at: datetime,
        scopes: list[str],
    ) -> None:
        self.rpc(
            "app_install_account",
            {
                "p_portal_id": portal_id,
                "p_access_token_enc": access_token_enc,
                "p_refresh_token_enc": refresh_token_enc,
                "p_access_expires_at": access_expires_at.isoformat(),
                "p_scopes": scopes,
            },
        )

    def account(self, portal_id: int) -> StoredAccount | None:
        rows = self.rpc("app_account", {"p_portal_id": portal_id})
        if not rows:
            return None
        row = rows[0]
        return StoredAccount(
            portal_id=int(row["portal_id"]),
            status=row["status"],
            status_reason=row["status_reason"],
            access_token_enc=row["access_token_enc"],
            refresh_token_enc=row["refresh_token_enc"],
            access_expires_at=as_time(row["access_expires_at"]),
        )

    def refreshed_account(
        self,
        portal_id: int,
        access_token_enc: str,
        refresh_token_enc: str,
        access_expires_at: datetime,
    ) -> bool:
        return bool(
            self.rpc(
                "app_refreshed_account",
                {
                    "p_portal_id": portal_id,
                    "p_access_token_enc": access_token_enc,
                    "p_refresh_token_enc": refresh_token_enc,
                    "p_access_expires_at": access_expires_at.isoformat(),
                },
            )
        )

    def disconnect_account(
        self, portal_id: int, status: str, reason: str, purge_after: datetime | None = None
    ) -> bool:
        return bool(
            self.rpc(
                "app_disconnect_account",
                {
                    "p_portal_id": portal_id,
                    "p_status": status,
                    "p_reason": reason[:500],
                    "p_purge_after": purge_after.isoformat() if purge_after else None,
                },
            )
        )

    def connected_accounts(self) -> list[int]:
        """The OAuth installs the app acts for now."""
        return [int(row["portal_id"]) for row in self.rpc("app_connected_accounts", {})]

    def journal_accounts(self) -> list[int]:
        """The accounts whose webhooks journal is read: every one not uninstalled."""
        return [int(row["portal_id"]) for row in self.rpc("app_journal_accounts", {})]

    def encrypted_tokens(self) -> list[tuple[int, str, str]]:
        """Every stored (portal id, access token, refresh token), encrypted."""
        rows = self.rpc("app_encrypted_tokens", {})
        return [
            (int(row["portal_id"]), row["access_token_enc"], row["refresh_token_enc"])
            for row in rows
        ]

    def reencrypt_account(
        self, portal_id: int, read_refresh_enc: str, access_enc: str, refresh_enc: str
    ) -> bool:
        return bool(
            self.rpc(
                "app_reencrypt_account",
                {
                    "p_portal_id": portal_id,
                    "p_read_refresh_token_enc": read_refresh_enc,
                    "p_access_token_enc": access_enc,
                    "p_refresh_token_enc": refresh_enc,
                },
            )
        )
