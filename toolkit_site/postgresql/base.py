"""PostgreSQL, health-checking a reused connection only once it has been idle.

With CONN_HEALTH_CHECKS, Django pings a persistent connection ("SELECT 1") at the start of every
request that uses it, so that a connection the server has dropped (a restart, a failover) is
replaced instead of failing the request. Under load that ping is a round trip on every request
(a tenth of a cached page's cost) for connections that answered a moment ago. As PgBouncer
does (`server_check_delay`), a connection whose last request used it without a database error
less than `HEALTH_CHECK_AFTER_IDLE_SECONDS` ago is trusted without the ping. Only a drop in that
window fails a request; the connection is then replaced at the end of it, as Django does.
"""

import time

from django.core.signals import request_finished
from django.db import connections
from django.db.backends.postgresql import base

HEALTH_CHECK_AFTER_IDLE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _used_in_request = False
    _worked_at = None  # monotonic time of the end of the last request that used it cleanly

    def connect(self):
        super().connect()
        self._worked_at = None

    def _cursor(self, name=None):
        self._used_in_request = True
        return super()._cursor(name)

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self._worked_at is not None
            and time.monotonic() - self._worked_at < HEALTH_CHECK_AFTER_IDLE_SECONDS
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def request_done(self):
        if self.connection is not None and self._used_in_request and not self.errors_occurred:
            self._worked_at = time.monotonic()
        self._used_in_request = False


def _request_finished(**kwargs):
    for connection in connections.all(initialized_only=True):
        if isinstance(connection, DatabaseWrapper):
            connection.request_done()


# After django.db's own receiver, which closes unusable or obsolete connections.
request_finished.connect(_request_finished, dispatch_uid="toolkit_site.postgresql")
