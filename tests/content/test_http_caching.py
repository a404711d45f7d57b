"""Readers at internet scale: public pages tell browsers and proxies they may keep them, name
themselves with an ETag of the content revision, and a revalidation is answered 304 unrendered."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.cache import get_max_age

from content import cache as content_cache
from content.models import GlossaryTerm
from tests.assessments.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/lv/",
    "/en/",
    "/lv/key-areas/4/",
    "/lv/glossary/",
    "/lv/practices/",
    "/en/practices/",
]


def _directives(response) -> dict[str, str]:
    parts = [p.strip() for p in response["Cache-Control"].split(",")]
    return dict((p.split("=", 1) + [""])[:2] for p in parts)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_may_be_kept_by_browsers_briefly_and_by_proxies_longer(path):
    response = Client().get(path)
    assert response.status_code == 200
    directives = _directives(response)
    assert "public" in directives and "private" not in directives and "no-store" not in directives
    assert get_max_age(response) == settings.PUBLIC_MAX_AGE
    assert int(directives["s-maxage"]) == settings.PUBLIC_S_MAXAGE > settings.PUBLIC_MAX_AGE
    assert int(directives["stale-while-revalidate"]) == settings.PUBLIC_STALE_WHILE_REVALIDATE
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')


def test_a_revalidation_is_answered_304_without_rendering_or_a_query():
    first = Client().get("/lv/glossary/")
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/lv/glossary/", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]
    # Only the content revision is read (and in production a process trusts it for a second).
    assert len(queries) <= 1


def test_the_etag_differs_by_page_language_fragment_and_content_revision():
    tags = {
        Client().get(path)["ETag"]
        for path in ("/lv/glossary/", "/en/glossary/", "/lv/key-areas/4/", "/lv/practices/?page=2")
    }
    tags.add(Client().get("/lv/glossary/", headers={"hx-request": "true"})["ETag"])
    assert len(tags) == 5
    before = Client().get("/lv/glossary/")["ETag"]
    term = GlossaryTerm.objects.first()
    term.save()  # an editor's change bumps the content revision
    content_cache._known = None
    after = Client().get("/lv/glossary/", headers={"if-none-match": before})
    assert after.status_code == 200 and after["ETag"] != before


def test_members_and_visitors_with_cookies_get_private_pages_without_an_etag():
    user = make_user("reader@example.lv")
    member = Client()
    assert (
        member.post(
            "/lv/accounts/login/", {"username": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    tag = Client().get("/lv/glossary/")["ETag"]
    response = member.get("/lv/glossary/", headers={"if-none-match": tag})
    assert response.status_code == 200  # never a 304 from a shared copy for a member
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")
    with_language = Client()
    with_language.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = with_language.get("/lv/glossary/", headers={"if-none-match": tag})
    assert response.status_code == 200 and not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")


def test_a_page_that_is_not_kept_carries_no_etag():
    response = Client().get("/lv/practices/?country=nowhere")
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")
    missing = Client().get("/lv/key-areas/99/")
    assert missing.status_code == 404 and not missing.has_header("ETag")
