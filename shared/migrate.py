"""Bring a database's schema up to date from the SQL files in ``migrations/``.

Two kinds of file:

- ``NNN_name.sql``: tables and the rest of the schema, each applied once, in order. What ran
  is recorded in ``app_meta.schema_migrations`` (outside ``public`` so the Supabase API never
  exposes it) with a checksum: an applied migration that was edited afterwards is refused,
  because it would never run again anywhere it already ran. ``earlier_checksums.txt`` lists
  the exceptions: texts reduced on purpose that leave the same schema behind.
- ``functions/NAME.sql``: one SQL function each, with its grants (and its trigger, for a
  trigger function), applied after the migrations in file name order, and again whenever the
  file's checksum differs from the one recorded in ``app_meta.schema_functions``. A file drops
  its function by name before creating it, since ``create or replace`` cannot change a result
  type or a parameter name and a new argument list would leave the old one as an overload.
  The order matters little: plpgsql finds the functions it calls when it runs; only a
  ``language sql`` body is checked on creation, so one that calls another app function must
  sort after it.

Everything pending is applied in one transaction, under an advisory lock: a failing file
rolls back the whole run, and the error names it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

_NUMBERED = re.compile(r"^\d{3}_[a-z0-9_]+\.sql$")
FUNCTIONS = Path("functions")
EARLIER_CHECKSUMS = Path("earlier_checksums.txt")
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
create table if not exists app_meta.schema_functions (
    filename text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
);
"""
_RECORD_MIGRATION = "insert into app_meta.schema_migrations (filename, checksum) values (%s, %s)"
_RECORD_FUNCTION = """
insert into app_meta.schema_functions (filename, checksum) values (%s, %s)
on conflict (filename) do update set checksum = excluded.checksum, applied_at = now()
"""
# A deleted file's record goes with it, so a file restored later is applied again.
_FORGET_DELETED_FUNCTIONS = "delete from app_meta.schema_functions where filename <> all(%s)"


class MigrationError(RuntimeError):
    """A migration could not be applied; the message names the file and the database error."""


@dataclass(frozen=True)
class SqlFile:
    filename: str  # relative to the migrations directory
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(migrations_dir: Path) -> list[SqlFile]:
    files = sorted(p for p in migrations_dir.iterdir() if _NUMBERED.match(p.name))
    return [SqlFile(p.name, p.read_text(encoding="utf-8")) for p in files]


def discover_functions(migrations_dir: Path) -> list[SqlFile]:
    files = sorted((migrations_dir / FUNCTIONS).glob("*.sql"))
    return [SqlFile(str(FUNCTIONS / p.name), p.read_text(encoding="utf-8")) for p in files]


def run_migrations(database_url: str | None, migrations_dir: Path) -> list[str]:
    """Apply pending migrations, then new and changed function files; returns the files
    applied (empty when up to date)."""
    if not database_url:
        raise MigrationError("DATABASE_URL is not set")
    try:
        with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("select pg_advisory_lock(%s)", (_ADVISORY_LOCK_KEY,))
            _ensure_supabase_builtins(conn, migrations_dir)
            conn.execute(_BOOKKEEPING)
            with conn.transaction():
                return _apply_pending(conn, migrations_dir)
    except psycopg.OperationalError as exc:
        raise MigrationError(f"cannot connect to the database: {exc}") from exc


def _apply_pending(conn: psycopg.Connection, migrations_dir: Path) -> list[str]:
    migrations = _pending(conn, discover(migrations_dir), _earlier_checksums(migrations_dir))
    for migration in migrations:
        _apply(conn, migration)
        conn.execute(_RECORD_MIGRATION, (migration.filename, migration.checksum))
    functions = discover_functions(migrations_dir)
    changed = _changed(conn, functions)
    for function in changed:
        _apply(conn, function)
        conn.execute(_RECORD_FUNCTION, (function.filename, function.checksum))
    conn.execute(_FORGET_DELETED_FUNCTIONS, ([f.filename for f in functions],))
    return [f.filename for f in [*migrations, *changed]]


def _ensure_supabase_builtins(conn: psycopg.Connection, migrations_dir: Path) -> None:
    # On Supabase auth.users always exists, so the local stand-in is never applied there.
    if conn.execute("select to_regclass('auth.users') is null").fetchone() == (True,):
        builtins = (migrations_dir / LOCAL_BUILTINS).read_text(encoding="utf-8")
        with conn.transaction():
            _apply(conn, SqlFile(str(LOCAL_BUILTINS), builtins))


def _earlier_checksums(migrations_dir: Path) -> set[tuple[str, str]]:
    """(migration, checksum) pairs from ``earlier_checksums.txt`` (``#`` lines are comments)."""
    path = migrations_dir / EARLIER_CHECKSUMS
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    pairs = (line.split() for line in lines if line.strip() and not line.startswith("#"))
    return {(filename, checksum) for filename, checksum in pairs}


def _pending(
    conn: psycopg.Connection, migrations: list[SqlFile], earlier: set[tuple[str, str]]
) -> list[SqlFile]:
    applied = _recorded(conn, "schema_migrations")
    for migration in migrations:
        recorded = applied.get(migration.filename)
        if recorded in (None, migration.checksum) or (migration.filename, recorded) in earlier:
            continue
        raise MigrationError(
            f"{migration.filename} was edited after it was applied; put the change in a new "
            "numbered migration (or, for a function, in its file in functions/) instead"
        )
    return [m for m in migrations if m.filename not in applied]


def _changed(conn: psycopg.Connection, functions: list[SqlFile]) -> list[SqlFile]:
    recorded = _recorded(conn, "schema_functions")
    return [f for f in functions if recorded.get(f.filename) != f.checksum]


def _recorded(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """The checksum recorded for each file in the bookkeeping table ``app_meta.<table>``."""
    query = sql.SQL("select filename, checksum from app_meta.{}").format(sql.Identifier(table))
    return {filename: checksum for filename, checksum in conn.execute(query)}


def _apply(conn: psycopg.Connection, sql_file: SqlFile) -> None:
    """Run one file inside the caller's transaction; its failure rolls that back."""
    try:
        conn.execute(sql_file.sql)
    except psycopg.Error as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MigrationError(
            f"{sql_file.filename} failed; nothing of this run was applied: {detail}"
        ) from exc
