"""The broker transport of every process: kombu's Redis transport, made to ride out broker
restarts and to publish without building a client per message.

It fixes what kombu 5.7 gets wrong when the broker dies under a busy worker: a channel left
half closed, which stops the worker; a message taken off its queue but never recorded as
unacked, which is lost; an ack the broker never got, which has the message run again after
the visibility timeout. And it publishes through one Redis client per channel (4. below).

1. A channel that always closes.

Celery (5.7) handles a lost broker connection in ``Consumer.on_connection_error_after_connected``
by calling ``connection.collect()`` and then ``connection.close()``. ``collect()`` closes the
connection's default channel and then drops the transport's reference to the connection
(``transport.client = None``). kombu's ``redis.Channel.close()`` talks to the broker before it
marks the channel closed: it reads the reply of the BRPOP in flight and deletes fanout
bindings. With the broker gone that raises a connection error, which ``collect()`` swallows,
and the channel is left half closed (``closed`` still False, unacked messages not restored).
``close()`` then closes it a second time: this time kombu gets as far as restoring the unacked
messages, needs a new connection pool for that, reads ``transport.client.hostname`` and fails
with ``AttributeError: 'NoneType' object has no attribute 'hostname'``. That is not a
connection error, so Celery treats it as fatal ("Unrecoverable error") and the worker exits.

The channel here finishes its close without the broker when kombu's close fails that way, so
the second close has nothing left to do: the worker reconnects as it does when the broker dies
at a quieter moment. Nothing changes for the messages: as before, the unacked ones stay in
Redis's unacked hash when the restore cannot reach the broker, tasks still running ack them
later, and any left are redelivered after the visibility timeout (``task_acks_late``).

Should a channel still reach for a broker connection after its transport was closed, that is
reported as the connection error it is, which every caller in Celery and kombu treats as
recoverable, never as an ``AttributeError``.

2. No message taken and dropped. kombu consumes with BRPOP, which removes the message from
its list, and only then records it as unacked (``QoS.append``: a ZADD and an HSET). If the
broker dies between the two, the message is in this process's memory alone: kombu raises the
connection error before the task sees it, and nothing would ever redeliver it. Here such
messages are kept, and pushed back onto their queue by the next BRPOP the worker starts,
on the connection it reconnected with. The task never started, so it runs once.

3. Acks delivered late rather than never. A task that finishes while the broker is down
cannot remove its message from the unacked hash, and kombu would deliver it again after the
visibility timeout (600 s): a second run of finished work, which the pipeline's claims then
drop. Here the ack is kept and sent at that same next BRPOP. The message is marked acked in
this process at once, so closing the channel does not put it back on its queue either.

4. One client per channel. kombu builds a new ``redis.Redis`` (with its ~170 response
callbacks) for every command it sends outside the consumer's own connection, every publish
included: a sixth of the web process's CPU for a single-event delivery. Here each channel
builds one and keeps it; it shares the channel's connection pool, and redis-py clients are
safe to share between threads and greenlets.

``use_for_redis_urls()`` registers the transport under kombu's own names for ``redis://``
and ``rediss://`` URLs, so the broker URL, what Celery and Flower show of it and TLS for
``rediss://`` stay as they are (naming the class in ``broker_transport`` instead would make a
``rediss://`` URL connect without TLS, and Flower would not recognise the URL).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any, Generic, TypeVar

import kombu.transport
import redis
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual

from shared.logging import get_logger

TRANSPORT = f"{__name__}:Transport"
REDIS_SCHEMES = ("redis", "rediss")

log = get_logger(__name__)

T = TypeVar("T")
# (payload, exchange, routing key) of a message as the unacked record would have kept it.
Untracked = tuple[dict[str, Any], str, str]


class _Held(Generic[T]):
    """What the broker must still be told. Held by the process, not the channel: the channel
    and connection that could not tell it are discarded when the worker reconnects."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[T] = []

    def keep(self, items: list[T]) -> None:
        with self._lock:
            self._items.extend(items)

    def take_all(self) -> list[T]:
        with self._lock:
            items, self._items = self._items, []
        return items


untracked: _Held[Untracked] = _Held()  # taken off their queue, not recorded as unacked
unsent_acks: _Held[str] = _Held()  # delivery tags of finished tasks' messages


class QoS(kombu_redis.QoS):
    def append(self, message: Any, delivery_tag: str) -> None:
        try:
            super().append(message, delivery_tag)
        except self.channel.connection_errors:
            delivery = message.delivery_info
            untracked.keep([(message._raw, delivery["exchange"], delivery["routing_key"])])
            raise

    def ack(self, delivery_tag: str) -> None:
        try:
            super().ack(delivery_tag)
        except self.channel.connection_errors as exc:
            unsent_acks.keep([delivery_tag])
            virtual.QoS.ack(self, delivery_tag)  # acked here: a close must not restore it
            log.warning("broker_ack_deferred", delivery_tag=delivery_tag, error=str(exc)[:200])


class Channel(kombu_redis.Channel):
    QoS = QoS

    @contextmanager
    def conn_or_acquire(self, client: redis.Redis | None = None) -> Iterator[redis.Redis]:
        yield client or self._shared_client

    @cached_property
    def _shared_client(self) -> redis.Redis:
        client: redis.Redis = self._create_client()
        return client

    def _brpop_start(self, timeout: float | None = None) -> None:
        # The broker answers on this connection: first tell it what it missed.
        self._catch_up()
        super()._brpop_start(timeout)

    def _catch_up(self) -> None:
        messages, acks = untracked.take_all(), unsent_acks.take_all()
        if not messages and not acks:
            return
        try:
            with self.conn_or_acquire() as client, client.pipeline() as pipe:
                for payload, exchange, routing_key in messages:
                    # kombu's own restore: marked redelivered, back at the head of its queue.
                    self._do_restore_message(payload, exchange, routing_key, pipe)
                for delivery_tag in acks:
                    self.qos._remove_from_indices(delivery_tag, pipe)  # kombu's ack
                pipe.execute()
        except BaseException:
            untracked.keep(messages)  # still only here: the next BRPOP tries again
            unsent_acks.keep(acks)
            raise
        log.warning("broker_caught_up", requeued=len(messages), acked=len(acks))

    def close(self) -> None:
        try:
            super().close()
        except self.connection_errors:
            if not self.closed:
                self._close_without_broker()
            raise

    def _close_without_broker(self) -> None:
        """The rest of kombu's close, minus what needs the broker (the BRPOP reply, the fanout
        bindings): release the sockets and pools, then the generic close, which marks the
        channel closed and tries to restore its unacked messages while the transport still
        has its client (a connection error there is the caller's to ignore, as before)."""
        if self.connection is not None:
            self.connection.cycle.discard(self)
        self._disconnect_pools()
        self._close_clients()
        virtual.Channel.close(self)

    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        transport = self.connection
        if transport is None or transport.client is None:
            raise redis.exceptions.ConnectionError("the channel's broker connection is closed")
        params: dict[str, Any] = super()._connparams(asynchronous=asynchronous)
        return params


class Transport(kombu_redis.Transport):
    Channel = Channel


def use_for_redis_urls() -> None:
    """Make this process's ``redis://`` and ``rediss://`` connections use this transport.

    kombu caches the class it resolved for each name, so a name resolved before this call
    (by a connection made earlier in the process) is resolved again on its next use.
    """
    for scheme in REDIS_SCHEMES:
        kombu.transport.TRANSPORT_ALIASES[scheme] = TRANSPORT
        kombu.transport._transport_cache.pop(scheme, None)
