"""E-mailed links start with the configured SITE_URL, whatever Host the request named (a
client writes that header, port included)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from tests.assessments.conftest import make_user
from tests.site.test_hardening import PRODUCTION_ENV

pytestmark = pytest.mark.django_db

SITE = "https://toolkit.example.lv"
HOST = "localhost:8443"  # allowed host, port of the client's choosing


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def _links(body: str) -> list[str]:
    return [word for word in body.split() if "://" in word]


def test_an_invitation_links_to_the_site_url(as_user, org):
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:members", args=[org.slug]),
        {"email": "new@riga.example", "role": "practitioner"},
        headers={"host": HOST},
    )
    assert response.status_code == 302
    link, privacy = _links(mail.outbox[-1].body)
    assert link.startswith(f"{SITE}/lv/invitations/")
    assert privacy == f"{SITE}/lv/privacy/"


def test_a_password_reset_links_to_the_site_url(client):
    make_user("member@riga.example")
    response = client.post(
        reverse("password_reset"), {"email": "member@riga.example"}, headers={"host": HOST}
    )
    assert response.status_code == 302
    (link,) = _links(mail.outbox[-1].body)
    assert link.startswith(f"{SITE}/lv/accounts/reset/")
    assert HOST not in mail.outbox[-1].body


def test_production_refuses_to_start_without_a_site_url():
    env = {**os.environ, **PRODUCTION_ENV, "SITE_URL": ""}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SITE_URL must be set" in result.stderr
