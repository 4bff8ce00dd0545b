"""The PostgreSQL backend skips the per-request health check for connections in steady use, and still replaces
a connection that PostgreSQL dropped while it sat idle."""

import pytest
from django.db import OperationalError, connection

from cqosite.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL backend"),
]


@pytest.fixture
def persistent():
    """A second connection configured as in production: kept between requests, health-checked."""
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": True, "HEALTH_CHECK_AFTER_IDLE": 1},
        alias="persistent",
    )
    checks = []
    real_is_usable = wrapper.is_usable
    wrapper.is_usable = lambda: checks.append(1) or real_is_usable()
    wrapper.checks = checks
    yield wrapper
    wrapper.close()


def request(wrapper):
    """What Django does around a request (``close_old_connections``) with one query inside: the backend's pid."""
    wrapper.close_if_unusable_or_obsolete()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    finally:
        wrapper.close_if_unusable_or_obsolete()


def idle(wrapper, seconds):
    wrapper.last_used -= seconds


def terminate(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_in_steady_use_is_not_checked(persistent):
    first = request(persistent)
    assert request(persistent) == request(persistent) == first
    assert persistent.checks == []


def test_without_a_window_every_request_is_checked(persistent):
    persistent.settings_dict["HEALTH_CHECK_AFTER_IDLE"] = 0  # task workers and cron jobs
    request(persistent)
    request(persistent)
    assert persistent.checks == [1]  # the first request opened the connection: nothing to check yet


def test_a_connection_idle_past_the_window_is_checked(persistent):
    request(persistent)
    idle(persistent, 1.5)
    request(persistent)
    assert persistent.checks == [1]


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(persistent):
    pid = request(persistent)
    terminate(pid)
    idle(persistent, 1.5)
    assert request(persistent) != pid


def test_a_connection_dropped_within_the_window_fails_one_request_then_reconnects(persistent):
    pid = request(persistent)
    terminate(pid)
    with pytest.raises(OperationalError):
        request(persistent)
    assert persistent.connection is None  # closed at the end of the failed request
    assert request(persistent) != pid
