"""Sessions in Redis (written through to PostgreSQL), and the one-statement user backend."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.conftest import PASSWORD, make_user
from toolkit_site.auth import UserBackend

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if not server:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required in CI (apt-get install redis-server).")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait()


@pytest.fixture
def redis_sessions(redis_url):
    cache_settings = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "toolkit_site.redis_cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "toolkit",
        },
    }
    with override_settings(
        CACHES=cache_settings,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        yield caches["sessions"]


def _logged_in(email):
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_logged_in_page_reads_the_session_from_redis_not_the_database(redis_sessions):
    make_user("reader@example.lv")
    client = _logged_in("reader@example.lv")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()  # written through
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("assessments:home")).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries)


def test_logout_ends_the_session_in_redis_and_in_the_database(redis_sessions):
    make_user("leaver@example.lv")
    client = _logged_in("leaver@example.lv")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("assessments:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_session_outlives_a_redis_restart(redis_sessions):
    make_user("stayer@example.lv")
    client = _logged_in("stayer@example.lv")
    redis_sessions.clear()  # what a restart without persistence leaves
    assert client.get(reverse("assessments:home")).status_code == 200


def test_the_user_backend_reads_one_row_with_one_statement():
    user = make_user("one@example.lv")
    backend = UserBackend()
    with CaptureQueriesContext(connection) as queries:
        found = backend.get_user(user.pk)
    assert found == user and found.email == "one@example.lv" and len(queries) == 1
    assert backend.get_user(user.pk + 1000) is None
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None


def test_a_password_change_elsewhere_ends_other_sessions():
    user = make_user("changer@example.lv")
    client = _logged_in("changer@example.lv")
    user.set_password("another-Long-password-8")
    user.save()
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_redis_cache_keeps_one_client_per_pool(redis_sessions):
    redis_sessions.set("k", "v")
    client = redis_sessions._cache.get_client(write=True)  # noqa: SLF001
    assert redis_sessions.get("k") == "v"
    assert redis_sessions._cache.get_client(write=True) is client  # noqa: SLF001
