"""The Celery app takes its time limits and visibility timeout from the settings."""

from shared.settings import load_settings
from workers.celery_app import create_celery


def test_time_limits_and_visibility_timeout_come_from_the_settings(monkeypatch):
    monkeypatch.setenv("TASK_TIME_LIMIT_SECONDS", "240")
    monkeypatch.setenv("CLAIM_LEASE_SECONDS", "400")
    monkeypatch.setenv("BROKER_VISIBILITY_TIMEOUT_SECONDS", "900")

    conf = create_celery(load_settings()).conf

    assert (conf.task_soft_time_limit, conf.task_time_limit) == (240, 270)
    assert conf.broker_transport_options["visibility_timeout"] == 900
