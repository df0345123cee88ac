import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from devstack.processes import free_port
from shared.accounts.adopt import adopt_unowned_rows
from shared.cli import main
from shared.migrate import MigrationError, run_migrations
from shared.settings import PROJECT_ROOT, get_settings
from shared.store.postgres import PostgresStore
from shared.store.review import RepOwner
from tests.conftest import PORTAL_ID

TABLES = {
    "sessions",
    "ai_processing_logs",
    "ai_generated_drafts",
    "touch_date_recommendations",
    "opportunities",
}
# The numbered migrations as released before each SQL function had its own file: the ones
# reduced or removed since (001 and local/ are unchanged).
RELEASED_MIGRATIONS = Path(__file__).parent / "released_migrations"
# What a migrated database holds, read from the catalog, to compare two databases by.
SCHEMA_QUERIES = {
    "functions": "select p.oid::regprocedure::text, pg_get_functiondef(p.oid), p.proacl::text "
    "from pg_proc p where p.pronamespace in ('public'::regnamespace, 'auth'::regnamespace) "
    "order by 1",
    "triggers": "select tgrelid::regclass::text, pg_get_triggerdef(oid) from pg_trigger "
    "where not tgisinternal order by 1, 2",
    "policies": "select tablename, policyname, cmd, roles::text, qual, with_check "
    "from pg_policies order by 1, 2",
    "columns": "select attrelid::regclass::text, attname, format_type(atttypid, atttypmod), "
    "attnotnull, attacl::text from pg_attribute a join pg_class c on c.oid = a.attrelid "
    "where c.relnamespace = 'public'::regnamespace and attnum > 0 and not attisdropped "
    "order by 1, attnum",
    "constraints": "select conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
    "from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2",
    "indexes": "select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1",
    "tables": "select relname, relkind, relrowsecurity, relacl::text from pg_class "
    "where relnamespace = 'public'::regnamespace order by 1",
}


@pytest.fixture
def new_database(postgres) -> Iterator[Callable[[], str]]:
    """Creates empty databases on demand; all are dropped after the test."""
    names: list[str] = []

    def create() -> str:
        names.append(f"empty_{uuid.uuid4().hex}")
        return postgres.create_database(names[-1])

    yield create
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database(new_database) -> str:
    return new_database()


@pytest.fixture
def migrations_copy(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", target)
    return target


def public_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("select tablename from pg_tables where schemaname = 'public'")
        return {name for (name,) in rows}


def query(url: str, statement: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(statement).fetchall()


def schema_of(url: str) -> dict[str, list[tuple]]:
    return {part: query(url, statement) for part, statement in SCHEMA_QUERIES.items()}


def write_function(migrations: Path, name: str, sql: str) -> None:
    (migrations / "functions" / f"{name}.sql").write_text(sql)


def greeting(text: str) -> str:
    return (
        "drop function if exists public.app_zz_greeting;\n"
        "create function public.app_zz_greeting() returns text\n"
        f"language sql as $$ select '{text}' $$;\n"
    )


def test_all_migrations_apply_to_an_empty_database(empty_database):
    applied = run_migrations(empty_database, PROJECT_ROOT / "migrations")

    assert applied[0] == "001_initial_schema.sql"
    assert applied == sorted(applied)
    assert public_tables(empty_database) >= TABLES


def test_a_second_run_is_a_no_op(empty_database):
    run_migrations(empty_database, PROJECT_ROOT / "migrations")

    assert run_migrations(empty_database, PROJECT_ROOT / "migrations") == []


def test_a_failing_migration_rolls_back_and_names_the_file(empty_database, migrations_copy):
    run_migrations(empty_database, migrations_copy)
    (migrations_copy / "900_broken.sql").write_text(
        "create table public.half_done (id int);\nselect * from no_such_table;\n"
    )

    with pytest.raises(MigrationError) as caught:
        run_migrations(empty_database, migrations_copy)

    assert "900_broken.sql" in str(caught.value)
    assert "no_such_table" in str(caught.value)
    assert "half_done" not in public_tables(empty_database)


def test_the_cli_exits_non_zero_naming_the_file_and_the_error(
    empty_database, migrations_copy, monkeypatch, capsys
):
    (migrations_copy / "900_broken.sql").write_text("select 1/0;")
    monkeypatch.setenv("DATABASE_URL", empty_database)
    monkeypatch.setenv("MIGRATIONS_DIR", str(migrations_copy))

    assert main(["migrate"]) == 1

    err = capsys.readouterr().err
    assert "900_broken.sql" in err
    assert "division by zero" in err


def test_the_cli_reports_what_it_applied(empty_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", empty_database)

    assert main(["migrate"]) == 0
    assert "001_initial_schema.sql" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert "0 applied" in capsys.readouterr().out


def test_an_applied_migration_that_was_edited_is_refused(empty_database, migrations_copy):
    run_migrations(empty_database, migrations_copy)
    first = migrations_copy / "001_initial_schema.sql"
    first.write_text(first.read_text() + "\n-- edited\n")

    with pytest.raises(MigrationError, match=r"001_initial_schema\.sql was edited"):
        run_migrations(empty_database, migrations_copy)


def test_an_unreachable_database_is_a_clear_error():
    with pytest.raises(MigrationError, match="cannot connect"):
        run_migrations("postgresql://postgres@127.0.0.1:1/none", PROJECT_ROOT / "migrations")


def test_a_new_function_file_is_applied(empty_database, migrations_copy):
    run_migrations(empty_database, migrations_copy)
    write_function(migrations_copy, "app_zz_greeting", greeting("hello"))

    assert run_migrations(empty_database, migrations_copy) == ["functions/app_zz_greeting.sql"]
    assert query(empty_database, "select public.app_zz_greeting()") == [("hello",)]


def test_a_changed_function_file_is_applied_again_once(empty_database, migrations_copy):
    write_function(migrations_copy, "app_zz_greeting", greeting("hello"))
    run_migrations(empty_database, migrations_copy)
    write_function(migrations_copy, "app_zz_greeting", greeting("hello again"))

    assert run_migrations(empty_database, migrations_copy) == ["functions/app_zz_greeting.sql"]
    assert query(empty_database, "select public.app_zz_greeting()") == [("hello again",)]
    assert run_migrations(empty_database, migrations_copy) == []


def test_a_function_file_may_change_its_functions_signature(empty_database, migrations_copy):
    before = (
        "drop function if exists public.app_zz_double;\n"
        "create function public.app_zz_double(p_n integer) returns integer\n"
        "language sql as $$ select p_n * 2 $$;\n"
    )
    after = (
        "drop function if exists public.app_zz_double;\n"
        "create function public.app_zz_double(p_value numeric, p_times integer default 2)\n"
        "returns table (doubled numeric) language sql as $$ select p_value * p_times $$;\n"
    )
    write_function(migrations_copy, "app_zz_double", before)
    run_migrations(empty_database, migrations_copy)
    write_function(migrations_copy, "app_zz_double", after)

    run_migrations(empty_database, migrations_copy)

    overloads = "select oid::regprocedure::text from pg_proc where proname = 'app_zz_double'"
    assert query(empty_database, overloads) == [("app_zz_double(numeric,integer)",)]
    assert query(empty_database, "select doubled from public.app_zz_double(1.5)") == [(3.0,)]


def test_a_failing_function_file_rolls_back_the_whole_run_and_names_the_file(
    empty_database, migrations_copy
):
    run_migrations(empty_database, migrations_copy)
    (migrations_copy / "900_new_table.sql").write_text("create table public.half_done (id int);")
    write_function(migrations_copy, "app_zz_greeting", greeting("hello") + "select 1 / 0;")

    with pytest.raises(MigrationError) as caught:
        run_migrations(empty_database, migrations_copy)

    assert "functions/app_zz_greeting.sql" in str(caught.value)
    assert "division by zero" in str(caught.value)
    assert "half_done" not in public_tables(empty_database)
    assert query(empty_database, "select to_regproc('public.app_zz_greeting')") == [(None,)]
    write_function(migrations_copy, "app_zz_greeting", greeting("hello"))
    assert run_migrations(empty_database, migrations_copy) == [
        "900_new_table.sql",
        "functions/app_zz_greeting.sql",
    ]


def test_a_deleted_function_file_is_forgotten_so_restoring_it_applies_it(
    empty_database, migrations_copy
):
    write_function(migrations_copy, "app_zz_greeting", greeting("hello"))
    run_migrations(empty_database, migrations_copy)
    (migrations_copy / "functions" / "app_zz_greeting.sql").unlink()
    run_migrations(empty_database, migrations_copy)
    write_function(migrations_copy, "app_zz_greeting", greeting("hello"))

    assert run_migrations(empty_database, migrations_copy) == ["functions/app_zz_greeting.sql"]


@pytest.fixture
def released_layout(tmp_path: Path) -> Path:
    target = tmp_path / "released"
    ignored = shutil.ignore_patterns("functions", "earlier_checksums.txt")
    shutil.copytree(PROJECT_ROOT / "migrations", target, ignore=ignored)
    for migration in RELEASED_MIGRATIONS.iterdir():
        shutil.copy(migration, target)
    return target


@pytest.mark.parametrize("released_up_to", ["005", "011"])
def test_a_database_migrated_before_functions_had_files_ends_like_a_fresh_one(
    new_database, released_layout, released_up_to
):
    for later in released_layout.glob("*.sql"):
        if later.name[:3] > released_up_to:
            later.unlink()
    upgraded, fresh = new_database(), new_database()
    run_migrations(upgraded, released_layout)

    applied = run_migrations(upgraded, PROJECT_ROOT / "migrations")
    run_migrations(fresh, PROJECT_ROOT / "migrations")

    assert "functions/app_queue_run.sql" in applied
    assert schema_of(upgraded) == schema_of(fresh)


# Rows as a released version (migrations up to 011) stored them, through its own functions.
RELEASED_ROWS = """
insert into auth.users (id, email) values (%(user)s, 'rep@example.com');
insert into public.rep_owners (user_id, hubspot_owner_id) values (%(user)s, '301');
select public.app_current_session(%(user)s);
select public.app_queue_run('a1', 'note', 'v1', '301', 'Call about pricing');
select public.app_queue_run('a2', 'call', 'v1', '301', 'Left a voicemail');
select public.app_claim_run(id, 300) from public.ai_processing_logs where activity_id = 'a1';
select public.app_complete_run(
    id, '[{"text": "Hi", "tone": "friendly", "confidence": 0.8}]',
    '{"recommended_start": "2026-03-05T09:00:00Z", "recommended_due": "2026-03-06T09:00:00Z",
      "confidence": 0.7, "rationale": "before the review"}',
    '{"probability": 0.6, "status": "open"}', '{}', null, null)
from public.ai_processing_logs where activity_id = 'a1';
select public.app_request_apply('301', %(user)s, 'draft', id, '{}')
from public.ai_generated_drafts;
"""
ROW_TABLES = (
    "ai_processing_logs",
    "ai_generated_drafts",
    "touch_date_recommendations",
    "opportunities",
    "apply_jobs",
    "rep_owners",
    "sessions",
)
ADOPTED = (
    "runs: 2, drafts: 1, recommendations: 1, opportunities: 1, jobs: 1, rep owners: 1, sessions: 1"
)


@pytest.fixture
def released_database(new_database, released_layout, monkeypatch) -> str:
    """A database a released version migrated (up to 011) and stored rows in; DATABASE_URL."""
    for later in released_layout.glob("*.sql"):
        if later.name[:3] > "011":
            later.unlink()
    url = new_database()
    run_migrations(url, released_layout)
    user = {"user": uuid.uuid4()}
    with psycopg.connect(url) as conn:
        for statement in RELEASED_ROWS.split(";\n")[:-1]:
            conn.execute(statement, user)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def accounts_of_rows(url: str) -> dict[str, set[int | None]]:
    accounts = sql.SQL("select hubspot_portal_id from public.{}")
    with psycopg.connect(url) as conn:
        return {
            table: {row[0] for row in conn.execute(accounts.format(sql.Identifier(table)))}
            for table in ROW_TABLES
        }


def test_migrate_gives_a_released_versions_rows_the_tokens_account(
    released_database, redis_url, simulator, capsys
):
    assert main(["migrate"]) == 0

    assert accounts_of_rows(released_database) == {table: {PORTAL_ID} for table in ROW_TABLES}
    assert f"adopted by HubSpot account {PORTAL_ID}: {ADOPTED}" in capsys.readouterr().out


def test_rows_stay_unowned_while_hubspot_is_down_and_the_next_migrate_adopts_them(
    released_database, redis_url, start_simulator, monkeypatch, capsys
):
    monkeypatch.setenv("HUBSPOT_API_BASE", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("HUBSPOT_MAX_ATTEMPTS", "1")

    assert main(["migrate"]) == 0

    warned = capsys.readouterr().err
    assert f"warning: {ADOPTED} have no HubSpot account" in warned
    assert "the next `hubspot-ai migrate` adopts them" in warned
    assert accounts_of_rows(released_database) == {table: {None} for table in ROW_TABLES}
    start_simulator()
    assert main(["migrate"]) == 0
    assert accounts_of_rows(released_database) == {table: {PORTAL_ID} for table in ROW_TABLES}
    assert f"adopted by HubSpot account {PORTAL_ID}: {ADOPTED}" in capsys.readouterr().out


def test_without_a_static_token_rows_stay_unowned_and_migrate_says_how_to_adopt_them(
    released_database,
):
    # Settings require HUBSPOT_ACCESS_TOKEN while the workers act with it; an OAuth-only
    # deployment has none, and no account to give unowned rows to.
    settings = get_settings().model_copy(
        update={"hubspot_auth": "oauth", "hubspot_access_token": None}
    )
    run_migrations(released_database, PROJECT_ROOT / "migrations")
    store = PostgresStore(released_database)
    try:
        adoption = adopt_unowned_rows(settings, store)
    finally:
        store.close()

    assert (adoption.portal_id, adoption.adopted.total, str(adoption.left)) == (None, 0, ADOPTED)
    assert "`hubspot-ai migrate` with HUBSPOT_ACCESS_TOKEN set" in adoption.why_left
    assert accounts_of_rows(released_database)["ai_processing_logs"] == {None}


def test_a_released_versions_rep_mapping_is_adopted_into_the_tokens_account(
    released_database, redis_url, start_simulator, monkeypatch
):
    monkeypatch.setenv("HUBSPOT_API_BASE", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("HUBSPOT_MAX_ATTEMPTS", "1")
    assert main(["migrate"]) == 0  # HubSpot down: migrated, the mapping left unowned
    [(user,)] = query(released_database, "select user_id from public.rep_owners")
    store = PostgresStore(released_database)
    try:
        assert store.rep(user).owner_override is None  # names no account: maps nobody yet
        assert store.user_for_owner(PORTAL_ID, "301", None) is None

        start_simulator()
        assert main(["migrate"]) == 0

        assert store.rep(user).owner_override == RepOwner(PORTAL_ID, "301")
        assert store.user_for_owner(PORTAL_ID, "301", None) == user
        with pytest.raises(psycopg.errors.CheckViolation):  # new mappings name their account
            query(
                released_database,
                "update public.rep_owners set hubspot_portal_id = null returning 1",
            )
    finally:
        store.close()
