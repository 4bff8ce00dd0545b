"""Django's PostgreSQL backend with a health check that skips connections in steady use.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request: a round trip that
was 7-13 % of an uncached public search under load. A connection that ran a query less than
``HEALTH_CHECK_AFTER_IDLE`` seconds ago is used without it, as connection pools do (HikariCP's
``aliveBypassWindowMs``): the check exists for connections that sat idle while a firewall, a pooler or a restart
dropped them. The cost is bounded: when the database restarts under steady traffic, each connection in use fails
one request, and Django then closes it (``errors_occurred`` is checked at the end of every request), so the next
request reconnects. The window is 0 (check every time) unless set: gunicorn's configuration sets 1 second for the
web workers; task workers, which run tasks back to back and would exit on such an error, keep the full check.
"""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = -float("inf")

    @property
    def health_check_after_idle(self):
        return float(self.settings_dict.get("HEALTH_CHECK_AFTER_IDLE", 0))

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self.last_used < self.health_check_after_idle:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def create_cursor(self, name=None):
        self.last_used = time.monotonic()
        return super().create_cursor(name)
