"""The initial schema on real Postgres: constraints hold and RLS keeps reps apart."""

import json
import uuid

import psycopg
import pytest
from psycopg.errors import CheckViolation, ForeignKeyViolation

from shared.settings import PROJECT_ROOT

# Every table a rep can reach through Supabase, and a column that says whose a row is.
ROWS = {
    "sessions": "select user_id::text from public.sessions",
    "ai_processing_logs": "select user_id::text from public.ai_processing_logs",
    "ai_generated_drafts": "select activity_id from public.ai_generated_drafts",
    "touch_date_recommendations": "select activity_id from public.touch_date_recommendations",
    "opportunities": "select user_id::text from public.opportunities",
    "rep_owners": "select user_id::text from public.rep_owners",
    "apply_jobs": "select user_id::text from public.apply_jobs",
}


def make_user(db: psycopg.Connection, email: str) -> uuid.UUID:
    return db.execute(
        "insert into auth.users (email) values (%s) returning id", (email,)
    ).fetchone()[0]


def give_results(db: psycopg.Connection, user_id: uuid.UUID, activity_id: str) -> uuid.UUID:
    """A rep's row in every table, as the pipeline and the API write them; the run's id."""
    owner = f"owner-{activity_id}"
    db.execute("insert into public.sessions (user_id) values (%s)", (user_id,))
    db.execute("insert into public.rep_owners values (%s, %s, now(), 1)", (user_id, owner))
    run_id = db.execute(
        "insert into public.ai_processing_logs (user_id, activity_id, status, hubspot_owner_id) "
        "values (%s, %s, 'completed', %s) returning id",
        (user_id, activity_id, owner),
    ).fetchone()[0]
    draft_id = db.execute(
        "insert into public.ai_generated_drafts (activity_id, run_id, draft_text, tone, "
        "confidence) values (%s, %s, 'Hi Dana', 'friendly', 0.8) returning id",
        (activity_id, run_id),
    ).fetchone()[0]
    db.execute(
        "insert into public.touch_date_recommendations (activity_id, run_id, recommended_due, "
        "confidence) values (%s, %s, now() + interval '2 days', 0.7)",
        (activity_id, run_id),
    )
    db.execute(
        "insert into public.opportunities (user_id, hubspot_activity_id, probability) "
        "values (%s, %s, 0.4)",
        (user_id, activity_id),
    )
    db.execute(
        "insert into public.apply_jobs (idempotency_key, user_id, hubspot_owner_id, run_id, "
        "kind, target_id) values (%s, %s, %s, %s, 'draft', %s)",
        (f"draft:{draft_id}", user_id, owner, run_id, draft_id),
    )
    return run_id


def act_as(db: psycopg.Connection, role: str, user_id: uuid.UUID | None = None) -> None:
    claims = json.dumps({"sub": str(user_id), "role": role}) if user_id else ""
    db.execute("select set_config('request.jwt.claims', %s, true)", (claims,))
    db.execute(f"set local role {role}")


@pytest.fixture
def two_reps(db):
    rep_a = make_user(db, "a@example.com")
    rep_b = make_user(db, "b@example.com")
    give_results(db, rep_a, "1001")
    give_results(db, rep_b, "2002")
    return rep_a, rep_b


def refused_or_nothing(db: psycopg.Connection, statement: str, params=None) -> bool:
    """True when the statement is refused outright or touches no row."""
    try:
        with db.transaction():
            return db.execute(statement, params).rowcount == 0
    except psycopg.errors.InsufficientPrivilege:
        return True


@pytest.mark.parametrize("table", sorted(ROWS))
def test_a_rep_reads_only_their_own_rows(db, two_reps, table):
    rep_a, _ = two_reps
    act_as(db, "authenticated", rep_a)

    values = {str(value) for (value,) in db.execute(ROWS[table])}

    assert values in ({str(rep_a)}, {"1001"})


@pytest.mark.parametrize(
    "statement",
    [
        "update public.ai_generated_drafts set selected = true where activity_id = '2002'",
        "update public.touch_date_recommendations set applied = true where activity_id = '2002'",
        "update public.opportunities set status = 'won' where hubspot_activity_id = '2002'",
        "update public.ai_processing_logs set status = 'failed' where activity_id = '2002'",
        "update public.apply_jobs set status = 'applied' where user_id = %(other)s",
        "update public.rep_owners set hubspot_owner_id = 'mine' where user_id = %(other)s",
        "update public.sessions set metadata = '{\"x\": 1}' where user_id = %(other)s",
        "delete from public.sessions where user_id = %(other)s",
        "delete from public.ai_generated_drafts where activity_id = '2002'",
        "delete from public.ai_processing_logs where activity_id = '2002'",
    ],
)
def test_a_rep_cannot_change_another_reps_rows(db, two_reps, statement):
    rep_a, rep_b = two_reps
    act_as(db, "authenticated", rep_a)

    assert refused_or_nothing(db, statement, {"other": rep_b})


def test_a_rep_records_their_own_choices(db, two_reps):
    rep_a, _ = two_reps
    act_as(db, "authenticated", rep_a)

    for statement in (
        "update public.ai_generated_drafts set selected = true where activity_id = '1001'",
        "update public.touch_date_recommendations set applied = true where activity_id = '1001'",
        "update public.opportunities set status = 'won' where hubspot_activity_id = '1001'",
        'update public.sessions set metadata = \'{"theme": "dark"}\'',
    ):
        assert db.execute(statement).rowcount == 1, statement


@pytest.mark.parametrize(
    "statement",
    [
        "update public.ai_generated_drafts set draft_text = 'mine now' where activity_id = '1001'",
        "update public.ai_generated_drafts set run_id = %(other_run)s where activity_id = '1001'",
        "update public.ai_processing_logs set user_id = %(other)s where activity_id = '1001'",
        "update public.ai_processing_logs set status = 'failed' where activity_id = '1001'",
        "update public.apply_jobs set status = 'applied' where user_id = %(me)s",
        "update public.rep_owners set hubspot_owner_id = 'owner-2002' where user_id = %(me)s",
        "insert into public.ai_generated_drafts (activity_id, run_id, draft_text, tone, "
        "confidence) values ('2002', %(other_run)s, 'x', 'friendly', 0.5)",
        "insert into public.rep_owners values (%(me)s, 'owner-2002', now(), 1)",
    ],
)
def test_a_rep_cannot_rewrite_what_the_pipeline_owns(db, two_reps, statement):
    rep_a, rep_b = two_reps
    other_run = db.execute(
        "select id from public.ai_processing_logs where activity_id = '2002'"
    ).fetchone()[0]
    act_as(db, "authenticated", rep_a)

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute(statement, {"me": rep_a, "other": rep_b, "other_run": other_run})


def test_the_policy_alone_keeps_a_draft_on_its_reps_own_runs(db, two_reps):
    """Were reps granted every column, a draft still could not move to another rep's run."""
    rep_a, _ = two_reps
    other_run = db.execute(
        "select id from public.ai_processing_logs where activity_id = '2002'"
    ).fetchone()[0]
    db.execute("grant update on public.ai_generated_drafts to authenticated")
    act_as(db, "authenticated", rep_a)

    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        db.execute(
            "update public.ai_generated_drafts set run_id = %s where activity_id = '1001'",
            (other_run,),
        )


def test_a_rep_cannot_create_a_session_for_someone_else(db, two_reps):
    rep_a, rep_b = two_reps
    act_as(db, "authenticated", rep_a)

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("insert into public.sessions (user_id) values (%s)", (rep_b,))


@pytest.mark.parametrize("table", sorted(ROWS))
def test_anon_sees_nothing(db, two_reps, table):
    act_as(db, "anon")

    try:
        with db.transaction():
            rows = db.execute(ROWS[table]).fetchall()
    except psycopg.errors.InsufficientPrivilege:
        rows = []
    assert rows == []


def test_a_rep_cannot_reach_the_migration_bookkeeping(db, two_reps):
    act_as(db, "authenticated", two_reps[0])

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("select * from app_meta.schema_migrations")


def test_the_service_role_sees_everything(db, two_reps):
    act_as(db, "service_role")

    users = {user for (user,) in db.execute("select user_id from public.ai_processing_logs")}
    assert users == set(two_reps)


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        (
            "insert into public.ai_generated_drafts (activity_id, draft_text, tone, confidence) "
            "values ('1', 'x', 'formal', 1.5)",
            CheckViolation,
        ),
        (
            "insert into public.touch_date_recommendations "
            "(activity_id, recommended_due, confidence) values ('1', now(), -0.1)",
            CheckViolation,
        ),
        (
            "insert into public.ai_processing_logs (activity_id, status) values ('1', 'done')",
            CheckViolation,
        ),
        (
            "insert into public.opportunities (hubspot_activity_id, probability, status) "
            "values ('1', 0.5, 'maybe')",
            CheckViolation,
        ),
        (
            "insert into public.touch_date_recommendations (activity_id, recommended_start, "
            "recommended_due, confidence) values ('1', now() + interval '1 day', now(), 0.5)",
            CheckViolation,
        ),
        (
            "insert into public.sessions (user_id) values (gen_random_uuid())",
            ForeignKeyViolation,
        ),
    ],
)
def test_constraints_reject_bad_rows(db, statement, error):
    with pytest.raises(error):
        db.execute(statement)


def test_rows_get_uuid_keys_and_timestamps_by_default(db):
    row = db.execute(
        "insert into public.ai_processing_logs (activity_id) values ('77') "
        "returning id, status, created_at, confidence_scores"
    ).fetchone()

    assert isinstance(row[0], uuid.UUID)
    assert row[1] == "queued"
    assert row[2].tzinfo is not None
    assert row[3] == {}


def test_policies_call_auth_uid_once_per_statement(db):
    definitions = db.execute(
        "select coalesce(qual, '') || coalesce(with_check, '') from pg_policies "
        "where schemaname = 'public'"
    ).fetchall()

    assert definitions
    for (text,) in definitions:
        assert text.count("auth.uid()") >= 1
        assert text.count("auth.uid()") == text.count("SELECT auth.uid()")


def test_every_public_table_has_row_level_security(db):
    tables = db.execute(
        "select c.relname, c.relrowsecurity from pg_class c "
        "join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'public' and c.relkind = 'r'"
    ).fetchall()

    assert {name for name, _ in tables} >= set(ROWS)
    assert all(enabled for _, enabled in tables)


APP_FUNCTIONS = (
    "select p.oid::regprocedure::text from pg_proc p "
    "join pg_namespace n on n.oid = p.pronamespace "
    "where n.nspname = 'public' and p.proname like 'app\\_%'"
)


def test_only_the_server_may_call_the_app_functions(db):
    functions = [name for (name,) in db.execute(APP_FUNCTIONS)]

    assert "app_list_runs(bigint,text,text,text,boolean,timestamp with time zone,uuid,integer)" in {
        name.removeprefix("public.") for name in functions
    }
    for function in functions:
        callers = {
            role
            for role in ("anon", "authenticated", "service_role")
            if db.execute(
                "select has_function_privilege(%s, %s, 'execute')", (role, function)
            ).fetchone()[0]
        }
        assert callers == {"service_role"}, function


def test_no_app_function_has_a_stale_overload(db):
    # A changed signature must replace the old one: PostgREST cannot choose between overloads.
    names = [name.split("(")[0] for (name,) in db.execute(APP_FUNCTIONS)]

    assert len(names) == len(set(names))


def test_each_app_function_has_one_file_of_its_name(db):
    # The file drops the function by name first, so it may change the function's signature.
    files = sorted((PROJECT_ROOT / "migrations" / "functions").glob("*.sql"))
    names = {name.removeprefix("public.").split("(")[0] for (name,) in db.execute(APP_FUNCTIONS)}

    assert names == {file.stem for file in files}
    for file in files:
        sql = file.read_text()
        assert f"drop function if exists public.{file.stem};\n" in sql, file.name
        assert f"create function public.{file.stem}(" in sql, file.name
