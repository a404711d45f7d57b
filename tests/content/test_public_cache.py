"""The shared cache of public pages cannot serve the wrong thing."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Membership, Organisation, Role
from tests.assessments.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _signed_message_cookie() -> str:
    """A real `messages` cookie, as a member gets it in the redirect after starting a round
    whose name they chose."""
    user = make_user("defacer@example.lv")
    organisation = Organisation.objects.create(name="Org", slug="org", org_type="ngo")
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    client = Client()
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    response = client.post(
        reverse("assessments:round_start", args=["org"]),
        {"name": "PAZIŅOJUMS: rīks pārcelts uz https://evil.example"},
    )
    assert response.status_code == 302
    return response.cookies["messages"].value


def test_a_visitors_flash_message_never_reaches_the_cached_public_pages():
    cookie = _signed_message_cookie()
    for path in ("/lv/", "/lv/glossary/"):
        attacker = Client()
        attacker.cookies["messages"] = cookie
        assert "PAZIŅOJUMS" in attacker.get(path).text  # shown to the one who has it
        for _ in range(2):  # and never to anybody else, cached or not
            assert "PAZIŅOJUMS" not in Client().get(path).text


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_request_with_a_cookie_other_than_csrf_is_neither_served_nor_stored():
    with_cookie = Client()
    with_cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with_cookie.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    _queries(with_cookie, "/lv/glossary/")
    built = _queries(Client(), "/lv/glossary/")  # nothing was stored by the request before
    assert built > 1
    assert _queries(Client(), "/lv/glossary/") == 1  # now kept: only the content revision
    csrf_only = Client()
    csrf_only.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert _queries(csrf_only, "/lv/glossary/") == 1


def test_htmx_responses_keep_their_headers_and_stay_apart_from_full_pages():
    url = reverse("practices:library") + "?area=1"
    fragment = Client().get(url, headers=HX)
    again = Client().get(url, headers=HX)
    assert again.content == fragment.content
    assert again["HX-Push-Url"] == fragment["HX-Push-Url"]
    assert "HX-Request" in again["Vary"]
    page = Client().get(url)
    assert page.text.lstrip().startswith("<!DOCTYPE html>")
    assert not fragment.text.lstrip().startswith("<!DOCTYPE html>")


def test_a_history_restore_is_not_kept_as_the_fragment_or_the_page():
    url = reverse("practices:library") + "?area=2"
    restore = Client().get(url, headers={**HX, "HX-History-Restore-Request": "true"})
    assert restore.text.lstrip().startswith("<!DOCTYPE html>")
    fragment = Client().get(url, headers=HX)
    assert not fragment.text.lstrip().startswith("<!DOCTYPE html>")
