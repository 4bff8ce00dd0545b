"""Generation counters in the shared cache: what is cached under a generation is dropped at once by a bump.

A cache entry's key (or its stored value) carries the generation it was computed in; a change bumps the counter,
so every entry of the old generation stops being read, in every process that shares the cache, without finding
and deleting them one by one. Used by the anonymous page cache and the statistics dashboard.
"""

import time

from django.core.cache import cache
from django.db import transaction


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
