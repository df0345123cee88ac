"""The workers' broker transport against a real Valkey killed at the worst moment: the
connection clean-up Celery does after a lost connection never raises anything but a
connection error, and the unacked message is still in Redis afterwards."""

import contextlib
import os
import signal
import time
from collections.abc import Iterator

import kombu
import pytest
import redis

from devstack.processes import free_port
from devstack.redis import EmbeddedRedis
from shared.broker import Transport
from shared.settings import load_settings
from workers.celery_app import create_celery

TIMEOUTS = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}


@pytest.fixture
def valkey(tmp_path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis", free_port(), append_only=True)
    server.start()
    yield server
    server.stop()


def kill(server: EmbeddedRedis) -> None:
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(10)


def drain_until(connection: kombu.Connection, done, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out draining events"
        with contextlib.suppress(TimeoutError):
            connection.drain_events(timeout=0.1)


def test_the_clean_up_after_a_lost_connection_survives_a_brpop_in_flight(valkey):
    connection = kombu.Connection(valkey.url(), transport=Transport, transport_options=TIMEOUTS)
    tasks = kombu.Queue("t", kombu.Exchange("t", type="direct"), routing_key="t")
    with connection.Producer() as producer:
        producer.publish({"n": 1}, exchange=tasks.exchange, routing_key="t", declare=[tasks])
    received: list[kombu.Message] = []
    connection.Consumer(tasks, callbacks=[lambda _, m: received.append(m)]).consume()
    # Like Celery's remote control: a fanout queue on a channel of its own, closed first.
    control = kombu.Queue("c", kombu.Exchange("c", type="fanout"), auto_delete=True)
    kombu.Consumer(connection.channel(), [control], no_ack=True).consume()
    drain_until(connection, lambda: received)
    channel = connection.default_channel
    drain_until(connection, lambda: bool(channel._in_poll))  # a BRPOP waits

    kill(valkey)
    # What Celery 5.7's Consumer.on_connection_error_after_connected does. With kombu's
    # own transport close() raises AttributeError("'NoneType' object has no attribute
    # 'hostname'") here, which stops the worker.
    connection.collect(socket_timeout=1)
    connection.close()

    assert channel.closed
    valkey.start()
    client = redis.Redis.from_url(valkey.url())
    # Not acked, not lost: redelivered after the visibility timeout.
    assert client.hlen("unacked") == 1


@pytest.mark.parametrize("scheme", ["redis", "rediss"])
def test_the_worker_app_connects_through_this_transport(scheme):
    app = create_celery(load_settings())

    connection = app.connection_for_write(f"{scheme}://127.0.0.1:6390/0")

    assert isinstance(connection.transport, Transport)
    assert connection.as_uri().startswith(f"{scheme}://")  # as Celery and Flower show it
    assert bool(connection.ssl) is (scheme == "rediss")  # TLS as kombu sets it up


def test_a_message_taken_as_the_broker_dies_is_queued_again_after_it_restarts(valkey):
    tasks = kombu.Queue("t", kombu.Exchange("t", type="direct"), routing_key="t")
    received: list[kombu.Message] = []

    def consume() -> kombu.Connection:
        connection = kombu.Connection(valkey.url(), transport=Transport, transport_options=TIMEOUTS)
        kombu.Consumer(connection, [tasks], callbacks=[lambda _, m: received.append(m)]).consume()
        return connection

    connection = consume()
    drain_until(connection, lambda: bool(connection.default_channel._in_poll))
    with kombu.Connection(valkey.url()) as other, other.Producer() as producer:
        producer.publish({"n": 1}, exchange=tasks.exchange, routing_key="t")
    time.sleep(0.3)  # BRPOP has taken it: the reply waits in this process's socket
    kill(valkey)
    # The message arrives, but its unacked record cannot be written. With kombu's own
    # transport it is gone for good: on no queue, not in the unacked hash.
    with pytest.raises(connection.connection_errors):
        connection.drain_events(timeout=1)
    assert not received
    connection.collect(socket_timeout=1)
    connection.close()

    valkey.start()
    connection = consume()  # what the worker does when it reconnects
    drain_until(connection, lambda: received)

    assert [m.payload for m in received] == [{"n": 1}]
    assert received[0].headers["redelivered"]
    received[0].ack()
    client = redis.Redis.from_url(valkey.url())
    assert (client.llen("t"), client.hlen("unacked")) == (0, 0)
    connection.close()


def test_an_ack_the_broker_missed_is_sent_once_it_is_back(valkey):
    tasks = kombu.Queue("t", kombu.Exchange("t", type="direct"), routing_key="t")
    received: list[kombu.Message] = []

    def consume() -> kombu.Connection:
        connection = kombu.Connection(valkey.url(), transport=Transport, transport_options=TIMEOUTS)
        kombu.Consumer(connection, [tasks], callbacks=[lambda _, m: received.append(m)]).consume()
        return connection

    with kombu.Connection(valkey.url()) as other, other.Producer() as producer:
        producer.publish({"n": 1}, exchange=tasks.exchange, routing_key="t", declare=[tasks])
    connection = consume()
    drain_until(connection, lambda: received)
    kill(valkey)
    # The task finished while the broker is down. kombu's transport raises here, and the
    # message stays in the unacked hash, to be delivered again after the visibility timeout.
    received.pop().ack()
    connection.collect(socket_timeout=1)
    connection.close()

    valkey.start()
    connection = consume()
    client = redis.Redis.from_url(valkey.url())
    drain_until(connection, lambda: client.hlen("unacked") == 0)

    assert client.llen("t") == 0
    with contextlib.suppress(TimeoutError):
        connection.drain_events(timeout=0.5)
    assert not received  # not delivered again
    connection.close()
