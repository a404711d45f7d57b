"""Production settings, headers, login throttling, sessions, tokens, error pages and logs."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.logging import JsonFormatter, RequestIdFilter
from tests.assessments.conftest import PASSWORD, make_user
from tests.dom import find, lv, parse, text


def heading(response) -> str:
    return text(find(parse(response), ".//h1"))


pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "toolkit_site.settings.production",
    "SECRET_KEY": "k3y-" + "x9Q2mZ7vR4tL8wN1cF6hJ3pB5sD0gK" * 2,
    "ALLOWED_HOSTS": "toolkit.example.lv",
    "SITE_URL": "https://toolkit.example.lv",
    "CSRF_TRUSTED_ORIGINS": "https://toolkit.example.lv",
    "DATABASE_URL": "postgres://toolkit:secret@db.example.lv:5432/toolkit",
    "EMAIL_HOST": "smtp.example.lv",
    "REDIS_URL": "redis://redis.example.lv:6379/0",
}


def test_check_deploy_with_production_settings_reports_nothing():
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, **PRODUCTION_ENV, "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_security_headers_and_csp_as_served(client):
    response = client.get("/lv/")
    csp = response["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


def login(client, email, password):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_login_is_throttled_after_repeated_failures(client):
    make_user("target@example.lv")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "target@example.lv", "wrong-password")
        assert response.status_code == 200
    assert login(client, "target@example.lv", "wrong-password").status_code == 429
    locked = login(client, "target@example.lv", PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert heading(locked) == lv("Too many attempts")
    assert "_auth_user_id" not in client.session
    # Another person is not locked out by someone guessing at this account.
    make_user("other@example.lv")
    assert login(Client(), "other@example.lv", PASSWORD).status_code == 302


def test_session_is_rotated_at_login(client):
    make_user("rotate@example.lv")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    assert login(client, "rotate@example.lv", PASSWORD).status_code == 302
    assert client.session.session_key != before


def test_password_validators_refuse_weak_passwords(client):
    response = client.post(
        reverse("signup"),
        {
            "first_name": "Vāja Parole",
            "email": "weak@example.lv",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    common = lv("This password is one of the most common ones. Choose another.")  # ours
    assert common in response.context["form"].errors["password2"]
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="weak@example.lv").exists()


def test_password_reset_link_is_single_use(client):
    user = make_user("reset@example.lv")
    client.post(reverse("password_reset"), {"email": "reset@example.lv"})
    assert len(mail.outbox) == 1 and "/lv/accounts/reset/" in mail.outbox[0].body
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("password_reset_confirm", args=[uid, token])
    form_url = client.get(url)["Location"]
    new = "Jauna-Parole-2027"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    again = Client().get(url, follow=True)
    assert heading(again) == lv("This link is not valid")


def test_post_without_csrf_token_gets_our_page_in_the_users_language():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert heading(response) == "The form has expired"
    response = client.post("/lv/accounts/login/", {"username": "a", "password": "b"})
    assert heading(response) == lv("The form has expired")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_500_page_is_ours_in_both_languages(lang):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(lang):
        html = render_to_string("500.html")
        expected = translation.gettext("Something went wrong")
    assert text(find(parse(html), ".//h1")) == expected and "Traceback" not in html
    assert (expected == lv("Something went wrong")) == (lang == "lv")


def test_403_page_is_ours(client, org):
    client.force_login(org.people["viewer"])
    response = client.post(reverse("assessments:round_close", args=[org.slug, org.round.pk]))
    assert response.status_code == 403
    assert heading(response) == lv("Not allowed")


def test_log_lines_are_json_with_request_id_and_no_note_text(client, org, caplog):
    client.force_login(org.people["practitioner"])
    with caplog.at_level(logging.INFO):
        response = client.post(
            reverse("assessments:note_save", args=[org.slug + "-missing", org.round.pk, 1]),
            {"text": "SECRET NOTE about a family", "version": "0"},
            headers={"X-Request-ID": "req-1234567890"},
        )
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-1234567890"
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records
    formatter, request_filter = JsonFormatter(), RequestIdFilter()
    for record in records:
        line = json.loads(formatter.format(record))
        assert line["level"] == "WARNING" and "SECRET" not in json.dumps(line)
    assert all("SECRET" not in r.getMessage() for r in caplog.records)
    assert request_filter.filter(records[0])


def test_names_with_line_breaks_are_refused_with_a_message(as_user, org):
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:organisation_create"),
        {"name": "Evil\nBcc: x@example.org", "org_type": "ngo", "city": "Rīga", "country": "LV"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        lv("Use one line of text, without line breaks or control characters.")
    ]

    response = client.post(
        reverse("assessments:round_start", args=[org.slug]), {"name": "Spring\r\nX-Header: 1"}
    )
    assert org.rounds.count() == 1


@pytest.mark.pdf
def test_pdf_rendering_fetches_only_our_static_files():
    from core.pdf import static_only_fetcher

    fetcher = static_only_fetcher()
    for url in (
        "http://127.0.0.1:9/x.css",
        "https://example.org/a.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"
    assert fetcher.fetch(font.as_uri()).read(4) == b"\x00\x01\x00\x00"
