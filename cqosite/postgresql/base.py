"""Django's PostgreSQL backend with a health check that skips connections in steady use.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request: a round trip that
was 7-13 % of an uncached public search under load. A connection that ran a query less than
``HEALTH_CHECK_AFTER_IDLE`` seconds ago (default 1) is used without it, as connection pools do (HikariCP's
``aliveBypassWindowMs``): the check exists for connections that sat idle while a firewall, a pooler or a restart
dropped them. The cost is bounded: a connection broken within that second fails one request, and Django then
closes it (``errors_occurred`` is checked at the end of every request), so the next request reconnects.
"""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = -float("inf")

    @property
    def health_check_after_idle(self):
        return float(self.settings_dict.get("HEALTH_CHECK_AFTER_IDLE", 1.0))

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self.last_used < self.health_check_after_idle:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def create_cursor(self, name=None):
        self.last_used = time.monotonic()
        return super().create_cursor(name)
