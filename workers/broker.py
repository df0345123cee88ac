"""The workers' broker transport: kombu's Redis transport with a channel that always closes.

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

``use_for_redis_urls()`` registers it under kombu's own names for ``redis://`` and ``rediss://``
URLs, so the broker URL, what Celery and Flower show of it and TLS for ``rediss://`` stay as
they are (naming the class in ``broker_transport`` instead would make a ``rediss://`` URL
connect without TLS, and Flower would not recognise the URL).
"""

from __future__ import annotations

from typing import Any

import kombu.transport
import redis
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual

TRANSPORT = "workers.broker:Transport"
REDIS_SCHEMES = ("redis", "rediss")


class Channel(kombu_redis.Channel):
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
        return super()._connparams(asynchronous=asynchronous)


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
