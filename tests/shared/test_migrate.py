import shutil
from pathlib import Path

import psycopg
import pytest

from shared.cli import main
from shared.migrate import MigrationError, run_migrations
from shared.settings import PROJECT_ROOT

TABLES = {
    "sessions",
    "ai_processing_logs",
    "ai_generated_drafts",
    "touch_date_recommendations",
    "opportunities",
}


@pytest.fixture
def empty_database(postgres) -> str:
    name = f"empty_{id(object())}"
    url = postgres.create_database(name)
    yield url
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def migrations_copy(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", target)
    return target


def public_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("select tablename from pg_tables where schemaname = 'public'")
        return {name for (name,) in rows}


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
