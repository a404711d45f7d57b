"""Finding 7: behind the proxy, login throttling keys on the client's own address."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.assessments.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that comes through the proxy
BASE_SETTINGS = Path(django_settings.BASE_DIR) / "toolkit_site" / "settings" / "base.py"


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """The address settings exactly as base.py derives them from AXES_PROXY_COUNT=1."""
    monkeypatch.setenv("AXES_PROXY_COUNT", "1")
    derived = runpy.run_path(str(BASE_SETTINGS))
    for name, value in derived.items():
        if name.startswith(("AXES_", "IPWARE_")):
            setattr(settings, name, value)
    return settings


def login(email, password, forwarded_for, client=None):
    return (client or Client()).post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_guesses_from_elsewhere_do_not_lock_the_member_out(behind_one_proxy):
    """Finding 7 (throttling behind the proxy): five wrong passwords from 203.0.113.5 lock
    that address out of the account, while the member, coming through the same proxy from
    198.51.100.7, still logs in."""
    make_user("member@example.lv")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login("member@example.lv", "wrong-password", "203.0.113.5")
    assert login("member@example.lv", PASSWORD, "203.0.113.5").status_code == 429
    member = Client()
    assert login("member@example.lv", PASSWORD, "198.51.100.7", member).status_code == 302
    assert "_auth_user_id" in member.session


def test_an_address_written_by_the_client_is_not_believed(behind_one_proxy):
    """Finding 7: the proxy appends the real address; one the attacker wrote before it (the
    member's, say) neither frees the attacker nor locks the member."""
    make_user("member@example.lv")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login("member@example.lv", "wrong-password", "198.51.100.7, 203.0.113.5")
    assert login("member@example.lv", PASSWORD, "6.6.6.6, 203.0.113.5").status_code == 429
    assert login("member@example.lv", PASSWORD, "198.51.100.7").status_code == 302


def test_without_a_proxy_the_header_is_ignored(settings):
    """Finding 7: with AXES_PROXY_COUNT=0 (the default) X-Forwarded-For is not read: a
    guesser cannot escape the lock by writing another address in it."""
    make_user("member@example.lv")
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        login("member@example.lv", "wrong-password", f"203.0.113.{n}")
    assert login("member@example.lv", PASSWORD, "198.51.100.7").status_code == 429
