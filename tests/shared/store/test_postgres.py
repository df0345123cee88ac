import psycopg
import pytest

from shared.store.postgres import PostgresStore
from tests.shared.store.contract import RunStoreContract
from tests.shared.store.inbox_contract import InboxContract
from tests.shared.store.review_contract import ReviewContract


@pytest.fixture
def store(database_url):
    store = PostgresStore(database_url)
    yield store
    store.close()


class TestPostgresStore(RunStoreContract, ReviewContract, InboxContract):
    pass


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_reps_cannot_call_the_run_functions(db, role):
    db.execute(f"set local role {role}")

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("select public.app_claim_run(gen_random_uuid(), 0)")
