"""A reused PostgreSQL connection is health-checked once idle, and a dropped one is replaced."""

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connections

from tests.conftest import postgres_only
from toolkit_site.postgresql import base

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
connection = None  # set by the fixture


@pytest.fixture
def checked_connection(monkeypatch):
    """The default connection with CONN_HEALTH_CHECKS on (as in production), counting pings."""
    global connection
    connection = connections["default"]  # the wrapper itself (not the proxy), as it is now
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    pings = []
    is_usable = base.DatabaseWrapper.is_usable

    def counting(self):
        pings.append(1)
        return is_usable(self)

    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", counting)
    yield pings
    connection.close()


def request(body):
    request_started.send(sender=None)
    try:
        return body()
    finally:
        request_finished.send(sender=None)


def count_users():
    return get_user_model().objects.count()


def drop_from_the_server():
    pid = connection.connection.info.backend_pid
    dsn = connection.connection.info.dsn
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_that_just_worked_is_not_pinged(checked_connection):
    request(count_users)  # a new connection needs no check
    pid = connection.connection.info.backend_pid
    request(count_users)
    request(count_users)
    assert connection.connection.info.backend_pid == pid  # the same connection, reused
    assert checked_connection == []


def test_an_idle_connection_is_pinged_and_replaced_when_the_server_dropped_it(
    checked_connection, monkeypatch
):
    request(count_users)
    drop_from_the_server()
    monkeypatch.setattr(base, "HEALTH_CHECK_AFTER_IDLE_SECONDS", 0)  # as if a second passed
    assert request(count_users) >= 0  # the request does not fail
    assert checked_connection == [1]


def test_a_drop_right_after_use_fails_one_request_and_the_next_one_works(checked_connection):
    request(count_users)
    drop_from_the_server()
    with pytest.raises(OperationalError):
        request(count_users)
    assert request(count_users) >= 0
