"""The Celery app takes its time limits and visibility timeout from the settings, and its
beat schedule catches up by the install's kind and purges uninstalled accounts."""

import pytest

from shared.accounts.cipher import TokenCipher
from shared.queues import PURGE_ACCOUNTS_TASK, READ_JOURNALS_TASK, RECONCILE_TASK
from shared.settings import load_settings
from workers.celery_app import create_celery


def test_time_limits_and_visibility_timeout_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("TASK_TIME_LIMIT_SECONDS", "240")
    monkeypatch.setenv("CLAIM_LEASE_SECONDS", "400")
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT_SECONDS", "900")

    conf = create_celery(load_settings()).conf

    assert (conf.task_soft_time_limit, conf.task_time_limit) == (240, 270)
    assert conf.broker_transport_options["visibility_timeout"] == 900


@pytest.mark.parametrize(
    ("auth", "catch_up", "not_run"),
    [("static", RECONCILE_TASK, READ_JOURNALS_TASK), ("oauth", READ_JOURNALS_TASK, RECONCILE_TASK)],
)
def test_beat_catches_up_by_the_installs_kind_and_purges_uninstalled_accounts(
    monkeypatch, auth, catch_up, not_run
):
    monkeypatch.setenv("HUBSPOT_AUTH", auth)
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", "client-id")
    monkeypatch.setenv("HUBSPOT_TOKEN_KEYS", TokenCipher.new_key())
    app = create_celery(load_settings())

    entries = app.conf.beat_schedule.values()
    scheduled = {entry["task"]: entry for entry in entries}
    app.loader.import_default_modules()

    assert catch_up in scheduled and not_run not in scheduled
    assert scheduled[PURGE_ACCOUNTS_TASK]["schedule"] == 3600
    assert scheduled[catch_up]["schedule"] == 300
    assert set(scheduled) <= set(app.tasks)  # each one a task the workers run
