"""Generation counters in the shared cache: what is cached under a generation is dropped at once by a bump.

A cache entry's key (or its stored value) carries the generation it was computed in; a change bumps the counter,
so every entry of the old generation stops being read, in every process that shares the cache, without finding
and deleting them one by one. Used by the anonymous page cache and the statistics dashboard.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


class Generation:
    def __init__(self, key):
        self.key = key

    def current(self):
        value = cache.get(self.key)
        if value is None:
            # add() keeps a value another process set meanwhile; read back what won.
            first = self.first()
            cache.add(self.key, first, timeout=None)
            value = cache.get(self.key, first)
        return value

    @staticmethod
    def first():
        """The number a counter starts from when the shared cache has none (new, emptied, restarted, or the counter
        evicted): the time in microseconds, later than any number it reached before while the servers' clocks agree
        (it moves by one a change). Starting again from 1 would make what was stored or kept in a process under an
        earlier 1, 2, … current again."""
        return time.time_ns() // 1000

    def bump(self, **signal_kwargs):
        """Start a new generation (usable as a signal receiver), and again when the change commits: a request
        served between the two read the old rows and stored them under the first new generation."""
        self.advance()
        connection = transaction.get_connection()
        pending = (callback for _savepoints, callback, _robust in connection.run_on_commit)
        if connection.in_atomic_block and self.advance not in pending:
            transaction.on_commit(self.advance, robust=True)

    def advance(self):
        """Start the next generation; its number."""
        try:
            return cache.incr(self.key)
        except ValueError:  # no counter: start one, or move the one another process started meanwhile
            first = self.first()
            return first if cache.add(self.key, first, timeout=None) else cache.incr(self.key)
        finally:
            TRACKED.drop(self.key)


class TrackedNumbers:
    """Counters' numbers read through a Redis connection that tracks them (``CLIENT TRACKING``), kept in this process
    until Redis says they changed.

    A public page the page cache has not stored reads the generations once: a round trip to Redis that cost about a
    tenth of the page. Redis sends this connection an invalidation for every key it read as soon as any client
    changes or deletes it (or the database is emptied), and each read first takes what has arrived: a change made
    elsewhere shows as soon as its invalidation reaches this process, one made here at once (:meth:`drop`). A
    connection that has said nothing for ``CHECK_SECONDS`` is asked for a reply first, so one that died silently
    (nothing to tell, or nothing told) is found within that time. Any error forgets the connection and the numbers
    (what changed meanwhile was never told) and answers nothing, so the caller reads the shared cache as without
    tracking; the next read opens a new connection, or, when opening one failed, the first read ``REST_SECONDS``
    later.
    """

    CHECK_SECONDS = 1
    REST_SECONDS = 30

    def __init__(self):
        self.lock = threading.Lock()
        self.location = self.connection = self.pid = None
        self.numbers = {}
        self.checked_at = self.resting_until = 0.0

    def read(self, keys):
        """``{key: number}`` for those of ``keys`` (the shared cache's, unprefixed) that Redis holds; ``{}`` where the
        shared cache is not Redis, or Redis failed lately."""
        location = redis_location()
        if location is None or not keys or time.monotonic() < self.resting_until:
            return {}
        names = {cache.make_key(key).encode(): key for key in keys}
        with self.lock:
            try:
                connection = self.connected(location)
                if time.monotonic() - self.checked_at > self.CHECK_SECONDS:
                    connection.send_command("PING")
                    connection.read_response()  # invalidations sent before it are taken on the way
                    self.checked_at = time.monotonic()
                while connection.can_read(timeout=0):  # invalidations that arrived since the last read
                    connection.read_response(push_request=True)
                unread = [name for name in names if name not in self.numbers]
                if unread:
                    connection.send_command("MGET", *unread)
                    for name, value in zip(unread, connection.read_response(), strict=True):
                        if value is not None:
                            self.numbers[name] = cache.client.decode(value)
                    self.checked_at = time.monotonic()
                return {key: self.numbers[name] for name, key in names.items() if name in self.numbers}
            except Exception:  # any failure: read the shared cache instead, as without tracking
                if self.connection is None:
                    logger.warning("Generation numbers are not tracked: no connection to Redis", exc_info=True)
                    self.resting_until = time.monotonic() + self.REST_SECONDS
                self.forget()
                return {}
            except BaseException:  # interrupted mid-reply (a worker's time-out): the connection is unusable
                self.forget()
                raise

    def drop(self, key):
        """Forget ``key``'s number: this process changed it (its invalidation comes by another connection, later)."""
        with self.lock:
            self.numbers.pop(cache.make_key(key).encode(), None)

    def connected(self, location):
        connection = self.connection
        if connection is not None and connection.is_connected and (self.location, self.pid) == (location, os.getpid()):
            return connection
        from redis.backoff import NoBackoff
        from redis.connection import Connection, parse_url
        from redis.retry import Retry

        self.forget()
        options = settings.CACHES["default"].get("OPTIONS", {})
        arguments = parse_url(location)
        kind = arguments.pop("connection_class", Connection)  # SSLConnection for rediss://
        if options.get("PASSWORD"):
            arguments["password"] = options["PASSWORD"]
        timeout = options.get("SOCKET_TIMEOUT") or 2
        arguments |= {
            "protocol": 3,
            "socket_timeout": timeout,
            "socket_connect_timeout": options.get("SOCKET_CONNECT_TIMEOUT") or timeout,
            "retry": Retry(NoBackoff(), 0),
            "health_check_interval": 0,
        }
        if issubclass(kind, Connection):  # TCP (a Unix socket takes no keepalive)
            arguments["socket_keepalive"] = True
        # redis-py opens a closed connection again on the next command, without tracking: every error here closes
        # it and raises, and a connection found closed is forgotten above, never used again.
        connection = kind(**arguments)
        connection.connect()
        connection._parser.set_invalidation_push_handler(self.invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        self.location, self.connection, self.pid = location, connection, os.getpid()
        self.checked_at = time.monotonic()
        return connection

    def invalidated(self, message):
        changed = message[1]
        if changed is None:  # the database emptied
            self.numbers.clear()
        for name in changed or ():
            self.numbers.pop(name, None)

    def forget(self):
        if self.connection is not None and self.pid == os.getpid():
            self.connection.disconnect()
        self.connection = None
        self.numbers.clear()


def redis_location():
    """The shared cache's Redis URL, or ``None`` when it is not Redis (local memory: development, tests)."""
    default = settings.CACHES["default"]
    return default["LOCATION"] if default["BACKEND"] == "django_redis.cache.RedisCache" else None


TRACKED = TrackedNumbers()
