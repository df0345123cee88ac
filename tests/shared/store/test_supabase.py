"""SupabaseStore at its HTTP boundary: the requests supabase-py sends, the answers it parses."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.settings import load_settings
from shared.store import build_store
from shared.store.supabase import SupabaseStore
from tests.conftest import PORTAL_ID
from tests.shared.store.contract import RunStoreContract
from tests.shared.store.fake_postgrest import FakePostgrest, serve
from tests.shared.store.inbox_contract import InboxContract
from tests.shared.store.review_contract import ReviewContract

SERVICE_KEY = "service-role-key-for-tests-123456"


@pytest.fixture
def postgrest(database_url):
    app = FakePostgrest(database_url, SERVICE_KEY)
    server = serve(app)
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def store(postgrest, monkeypatch):
    _, url = postgrest
    monkeypatch.setenv("SUPABASE_URL", url)
    monkeypatch.setenv("SUPABASE_SERVICE_ROLE_KEY", SERVICE_KEY)
    store = build_store(load_settings())
    assert isinstance(store, SupabaseStore)
    return store


class TestSupabaseStore(RunStoreContract, ReviewContract, InboxContract):
    pass


def test_it_calls_the_rpc_functions_with_the_service_role_key(store, postgrest, activity):
    app, _ = postgrest

    store.claim_run(store.queue_run(activity, PORTAL_ID).run_id)

    paths = [request["path"] for request in app.requests]
    assert paths == ["/rest/v1/rpc/app_queue_run", "/rest/v1/rpc/app_claim_run"]
    first = app.requests[0]
    assert first["headers"]["Apikey"] == SERVICE_KEY
    assert first["params"]["p_activity_id"] == activity.id
    assert first["params"]["p_activity_version"] == activity.version
    assert first["params"]["p_retry_failed"] is False


def test_a_wrong_key_is_an_error_not_a_silent_no_op(postgrest, monkeypatch, activity):
    _, url = postgrest
    monkeypatch.setenv("SUPABASE_URL", url)
    monkeypatch.setenv("SUPABASE_SERVICE_ROLE_KEY", "not-the-key-0000")
    store = build_store(load_settings())

    with pytest.raises(Exception, match="invalid api key"):
        store.queue_run(activity, PORTAL_ID)


def test_an_uninstalled_accounts_rows_are_purged_once_through_the_api(store, activity):
    store.queue_run(activity, PORTAL_ID)
    store.install_account(PORTAL_ID, "access-enc", "refresh-enc", datetime.now(UTC), [])
    store.disconnect_account(
        PORTAL_ID, "uninstalled", "uninstalled in a test", datetime.now(UTC) - timedelta(seconds=1)
    )

    due = store.accounts_to_purge()
    purged = store.purge_account(PORTAL_ID)

    assert due == [PORTAL_ID]
    assert purged is not None and purged.counts["runs"] == 1 and purged.total == 1
    assert store.purge_account(PORTAL_ID) is None
    assert store.accounts_to_purge() == []
