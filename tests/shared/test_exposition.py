"""/metrics' gauges of waiting work, read from a real Redis with real queued messages."""

import redis

from shared.exposition import render
from shared.hubspot.daily_cap import DailyCap
from shared.pipeline.parking import PARKED_KEY
from shared.pipeline.pending import PendingActivities
from shared.queues import enqueue_apply, enqueue_ingest, make_producer
from shared.settings import get_settings
from tests import webhook_signing as sign
from tests.prometheus_text import value


def test_queue_depths_count_the_messages_waiting_in_each_celery_queue(redis_url):
    producer = make_producer(get_settings())
    enqueue_ingest(producer, [sign.activity_event()])
    for job_id in ("job-1", "job-2"):
        enqueue_apply(producer, job_id)

    text = render(redis.Redis.from_url(redis_url))

    assert value(text, "celery_queue_length", queue="activities") == 1
    assert value(text, "celery_queue_length", queue="apply") == 2


def test_pending_activities_are_counted_by_object_type_across_accounts(redis_url):
    client = redis.Redis.from_url(redis_url)
    PendingActivities(client, 101).add("notes", ["1", "2"])
    PendingActivities(client, 202).add("notes", ["1"])  # another account's activity 1
    PendingActivities(client, 202).add("tasks", ["4"])

    text = render(client)

    assert value(text, "activities_pending_fetch", object_type="notes") == 3
    assert value(text, "activities_pending_fetch", object_type="tasks") == 1
    assert value(text, "activities_pending_fetch", object_type="calls") == 0


def test_an_idle_redis_shows_empty_queues_and_no_daily_limit(redis_url):
    text = render(redis.Redis.from_url(redis_url))

    assert value(text, "celery_queue_length", queue="apply") == 0
    assert value(text, "hubspot_parked_work") == 0
    assert value(text, "hubspot_daily_limit_reached") == 0
    assert value(text, "hubspot_daily_calls_remaining") is None  # HubSpot has not said yet


def test_the_daily_limit_and_parked_work_are_shown(redis_url):
    client = redis.Redis.from_url(redis_url)
    DailyCap(client).reach()
    DailyCap(client).observe({"x-hubspot-ratelimit-daily-remaining": "0"})
    client.hset(PARKED_KEY, '{"args": ["notes"]}', "1")

    text = render(client)

    assert value(text, "hubspot_daily_limit_reached") == 1
    assert value(text, "hubspot_daily_calls_remaining") == 0
    assert value(text, "hubspot_parked_work") == 1


class PipelinesOnly:
    """A client that only hands out pipelines, and counts them."""

    def __init__(self, client: redis.Redis) -> None:
        self.client, self.pipelines = client, 0

    def pipeline(self, transaction: bool = True) -> redis.client.Pipeline:
        self.pipelines += 1
        return self.client.pipeline(transaction=transaction)


def test_a_scrape_reads_redis_in_two_pipelines(redis_url):
    """Everything in one, then the pending sets of the accounts the first one named."""
    PendingActivities(redis.Redis.from_url(redis_url), 101).add("notes", ["1"])
    client = PipelinesOnly(redis.Redis.from_url(redis_url))

    render(client)

    assert client.pipelines == 2
