"""Sessions live in the database; the shared cache (Redis) may fail without breaking the site."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse

from assessments import services
from assessments.models import Membership, Organisation, Role
from content.models import ChecklistItem
from tests.assessments.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server():
    """A real redis-server of the test's own; `.stop()` ends it during the test."""
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
    process.url = f"redis://127.0.0.1:{port}/0"

    def stop():
        process.terminate()
        process.wait()

    process.stop = stop
    yield process
    if process.poll() is None:
        stop()


@pytest.fixture
def redis_cache(redis_server):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "test",
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        cache.clear()
        yield redis_server


def _logged_in(email):
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_logout_ends_the_session_in_the_database():
    make_user("leaver@example.lv")
    client = _logged_in("leaver@example.lv")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=cookie).exists()
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(reverse("assessments:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_password_change_elsewhere_ends_other_sessions():
    user = make_user("changer@example.lv")
    client = _logged_in("changer@example.lv")
    user.set_password("another-Long-password-8")
    user.save()
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.pdf
def test_with_redis_down_people_log_in_work_and_log_out_and_visitors_read(redis_cache):
    user = make_user("worker@example.lv")
    organisation = Organisation.objects.create(name="Org", slug="org", org_type="ngo")
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    round_ = services.round_start(organisation=organisation, name="2026", user=user)
    assert Client().get("/lv/glossary/").status_code == 200  # kept in Redis
    redis_cache.stop()

    assert Client().get("/lv/glossary/").status_code == 200
    assert Client().get("/lv/key-areas/1/").status_code == 200
    client = _logged_in("worker@example.lv")
    assert client.get(reverse("assessments:home")).status_code == 200
    area = reverse("assessments:area", args=["org", round_.pk, 1])
    assert client.get(area).status_code == 200
    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    saved = client.post(
        reverse("assessments:item_save", args=["org", round_.pk, item.key]),
        {f"value-{item.key}": "yes", f"comment-{item.key}": "", f"version-{item.key}": "0"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    report = client.get(reverse("reporting:report_pdf", args=["org", round_.pk]))
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=cookie).exists()
