"""Apply the numbered SQL files in ``migrations/`` in order, each in its own transaction.

What ran is recorded in ``app_meta.schema_migrations`` (outside ``public`` so the Supabase
API never exposes it) with a checksum: an applied migration that was edited afterwards is
refused, because it would never run again anywhere it already ran.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

_NUMBERED = re.compile(r"^\d{3}_[a-z0-9_]+\.sql$")
LOCAL_BUILTINS = Path("local") / "supabase_builtins.sql"
# Serialises concurrent runs (two release phases at once) on the same database.
_ADVISORY_LOCK_KEY = 0x4855_4253

_BOOKKEEPING = """
create schema if not exists app_meta;
create table if not exists app_meta.schema_migrations (
    filename text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
);
"""


class MigrationError(RuntimeError):
    """A migration could not be applied; the message names the file and the database error."""


@dataclass(frozen=True)
class Migration:
    filename: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(migrations_dir: Path) -> list[Migration]:
    files = sorted(p for p in migrations_dir.iterdir() if _NUMBERED.match(p.name))
    return [Migration(p.name, p.read_text(encoding="utf-8")) for p in files]


def run_migrations(database_url: str | None, migrations_dir: Path) -> list[str]:
    """Apply pending migrations; returns the filenames applied (empty when up to date)."""
    if not database_url:
        raise MigrationError("DATABASE_URL is not set")
    try:
        with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("select pg_advisory_lock(%s)", (_ADVISORY_LOCK_KEY,))
            _ensure_supabase_builtins(conn, migrations_dir)
            conn.execute(_BOOKKEEPING)
            applied = []
            for migration in _pending(conn, discover(migrations_dir)):
                _apply_in_transaction(conn, migration, record=True)
                applied.append(migration.filename)
            return applied
    except psycopg.OperationalError as exc:
        raise MigrationError(f"cannot connect to the database: {exc}") from exc


def _ensure_supabase_builtins(conn: psycopg.Connection, migrations_dir: Path) -> None:
    # On Supabase auth.users always exists, so the local stand-in is never applied there.
    if conn.execute("select to_regclass('auth.users')").fetchone()[0] is None:
        _apply_in_transaction(
            conn, Migration(str(LOCAL_BUILTINS), (migrations_dir / LOCAL_BUILTINS).read_text())
        )


def _pending(conn: psycopg.Connection, migrations: list[Migration]) -> list[Migration]:
    rows = conn.execute("select filename, checksum from app_meta.schema_migrations").fetchall()
    applied = dict(rows)
    for migration in migrations:
        recorded = applied.get(migration.filename)
        if recorded is not None and recorded != migration.checksum:
            raise MigrationError(
                f"{migration.filename} was edited after it was applied; "
                "put the change in a new numbered migration instead"
            )
    return [m for m in migrations if m.filename not in applied]


def _apply_in_transaction(
    conn: psycopg.Connection, migration: Migration, record: bool = False
) -> None:
    try:
        with conn.transaction():
            conn.execute(migration.sql)
            if record:
                conn.execute(
                    "insert into app_meta.schema_migrations (filename, checksum) values (%s, %s)",
                    (migration.filename, migration.checksum),
                )
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MigrationError(f"{migration.filename} failed and was rolled back: {detail}") from exc
