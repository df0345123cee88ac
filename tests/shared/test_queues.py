"""The web process's producer publishes task messages a worker reads, through one client."""

import json

import redis

from shared.queues import ACTIVITIES_QUEUE, INGEST_EVENTS_TASK, enqueue_ingest, make_producer
from shared.settings import get_settings


def test_published_messages_are_celery_messages_and_share_one_client(redis_url, monkeypatch):
    producer = make_producer(get_settings())
    built = []
    real_init = redis.Redis.__init__

    def counting_init(self, *args, **kwargs):
        built.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    task_ids = [enqueue_ingest(producer, [{"eventId": n}]) for n in range(50)]
    clients = len(built)

    raw = redis.Redis.from_url(redis_url).lrange(ACTIVITIES_QUEUE, 0, -1)
    headers = [json.loads(message)["headers"] for message in raw]
    assert sorted(h["id"] for h in headers) == sorted(task_ids)
    assert {h["task"] for h in headers} == {INGEST_EVENTS_TASK}
    assert clients <= 2  # the channel's client (and kombu's connection check), not 50
