"""Holds under outage: a lock held too long, a database that does not answer, a cache that is
gone. Each answer comes quickly and says what to do, in the user's language."""

import socket
import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Round
from tests.conftest import postgres_only
from tests.dom import find, lv, parse, text
from tests.site.test_sessions import redis_cache, redis_server  # noqa: F401 - fixtures

ITEM = "ka1.c1.i01"


@postgres_only
@pytest.mark.django_db
def test_database_sessions_have_timeouts_for_connecting_locks_statements_and_idling():
    """Finding 10: every connection waits a bounded time (settings.base.database)."""
    with connection.cursor() as cursor:
        shown = {}
        for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {
        "lock_timeout": "5s",
        "statement_timeout": "30s",
        "idle_in_transaction_session_timeout": "1min",
    }
    options = connection.settings_dict["OPTIONS"]
    assert options["connect_timeout"] == 2
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5


@pytest.fixture
def short_lock_timeout():
    """The request's connection waits 300 ms for a lock, as production waits a few seconds."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield 0.3
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@pytest.fixture
def round_locked_elsewhere(org):
    """Another connection holds the row lock of the round until `.release()`."""
    other = connection.copy()
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Round._meta.db_table} WHERE id = %s FOR UPDATE", [org.round.pk]
        )
    other.release = other.rollback
    yield other
    other.rollback()
    other.close()


def _timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_for_a_held_lock_answers_503_then_works_once_released(
    toolkit, org, as_user, short_lock_timeout, round_locked_elsewhere
):
    """Finding 10: an HTMX answer save and closing the round, while another connection holds
    the round's lock, answer 503 "try again in a moment" within the lock timeout; after the
    lock is released the same requests work."""
    client = as_user(org.people["coordinator"])
    save_url = reverse("assessments:item_save", args=[org.slug, org.round.pk, ITEM])
    save = {f"value-{ITEM}": "yes", f"version-{ITEM}": "0"}
    close_url = reverse("assessments:round_close", args=[org.slug, org.round.pk])

    response, took = _timed(lambda: client.post(save_url, save, headers={"HX-Request": "true"}))
    assert response.status_code == 503 and took < short_lock_timeout + 2
    assert response.text.strip() == lv("The server is busy. Try again in a moment.")
    assert len(response.content) < 200  # app.js shows its own message beside the item
    assert response["Retry-After"]

    response, took = _timed(lambda: client.post(close_url))
    assert response.status_code == 503 and took < short_lock_timeout + 2
    assert text(find(parse(response), ".//h1")) == lv("Try again in a moment")
    english = client.post(close_url.replace("/lv/", "/en/", 1))
    assert english.status_code == 503
    assert text(find(parse(english), ".//h1")) == "Try again in a moment"

    org.round.refresh_from_db()
    assert org.round.is_open

    round_locked_elsewhere.release()
    assert client.post(save_url, save, headers={"HX-Request": "true"}).status_code == 200
    assert client.post(close_url).status_code == 302
    org.round.refresh_from_db()
    assert not org.round.is_open


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word: a hung database."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_within_3_seconds_when_the_database_does_not_answer(client, silent_server):
    """Finding 10: a connection to a database that never answers gives up after the connect
    timeout (as a worker's does after a restart of the database), so /healthz answers in time."""
    assert client.get("/healthz").status_code == 200  # (the first request imports the views)
    with mock.patch.dict(connection.settings_dict, {"HOST": "127.0.0.1", "PORT": silent_server}):
        connection.close()  # the worker's connection is gone: the next request connects anew
        response, took = _timed(lambda: client.get("/healthz"))
        connection.close()
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert took < 3
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_reports_a_cache_that_does_not_answer_as_degraded(client, redis_cache):  # noqa: F811
    """Finding 6: Redis gone is "degraded" in /healthz, still 200 while the database works."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    redis_cache.stop()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "degraded"}
