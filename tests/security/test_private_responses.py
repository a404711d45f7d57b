"""Finding 9: what a logged-in user receives is kept by no shared cache or browser cache, while
public pages for anonymous visitors stay cacheable by our server cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.cache import get_max_age

from practices import services as practice_services
from tests.assessments.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_private(response):
    assert {"private", "no-store"} <= directives(response), response.get("Cache-Control")


def test_every_member_page_and_fragment_is_private_and_not_stored(as_user, org):
    """Finding 9: pages, HTMX fragments and redirects for a logged-in member."""
    client = as_user(org.people["practitioner"])
    round_url = [org.slug, org.round.pk]
    for url in (
        reverse("assessments:home"),
        reverse("assessments:organisation", args=[org.slug]),
        reverse("assessments:round", args=round_url),
        reverse("assessments:area", args=[*round_url, 1]),
        reverse("reporting:summary", args=round_url),
        reverse("practices:practice_list", args=[org.slug]),
        "/lv/glossary/",  # a public page, seen by a logged-in member
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response)
    saved = client.post(
        reverse("assessments:item_save", args=[*round_url, "ka1.c1.i01"]),
        {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert_private(saved)


@pytest.mark.pdf
def test_exports_and_pdfs_are_private_even_for_a_coordinator(as_user, org):
    """Finding 9: every export and PDF download carries private, no-store."""
    client = as_user(org.people["coordinator"])
    practice = practice_services.practice_create(
        organisation=org, user=org.people["coordinator"], name="P", description="", key_areas=[]
    )
    round_url = [org.slug, org.round.pk]
    practice_url = [org.slug, practice.pk]
    for url in (
        reverse("reporting:report_pdf", args=round_url),
        reverse("reporting:export_csv", args=round_url),
        reverse("reporting:export_json", args=round_url),
        reverse("reporting:export_xlsx", args=round_url),
        reverse("reporting:organisation_export", args=[org.slug]),
        reverse("practices:practice_scorecard", args=practice_url),
        reverse("practices:practice_export_csv", args=practice_url),
        reverse("practices:practice_export_json", args=practice_url),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response)
        assert get_max_age(response) in (None, 0)


def test_the_login_response_is_private():
    """Finding 9: the response that logs someone in is theirs too."""
    make_user("someone@example.lv")
    response = Client().post(
        reverse("login"), {"username": "someone@example.lv", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_private(response)


def test_public_pages_for_visitors_stay_cacheable_by_our_server_cache(client):
    """Finding 9: anonymous public pages are not marked private, and are served from the
    server cache on the second request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get("/lv/glossary/")
    assert first.status_code == 200
    assert "private" not in first.get("Cache-Control", "")
    assert "no-store" not in first.get("Cache-Control", "")
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/lv/glossary/")
    assert again.status_code == 200 and again.content == first.content
    # Served from the cache: only the content revision is read.
    assert len(queries) <= 1
