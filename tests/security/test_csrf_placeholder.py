"""Finding 2 (regression): a comment holding the placeholder that member pages once used for
the reader's CSRF token is shown as the text it is, and never becomes anybody's token."""

import re
from html import escape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PLACEHOLDER = "csrf-slot-7c0f3a91"
ITEM = "ka1.c1.i01"


def _member(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _comment_shown(body: str) -> str:
    field = rf'<textarea id="comment-{re.escape(ITEM)}"[^>]*>(.*?)</textarea>'
    found = re.search(field, body, re.S)
    assert found, "the item's comment field is on the page"
    return found.group(1)


def test_a_comment_with_the_old_csrf_placeholder_shows_literally_to_another_member(org):
    """Finding 2: the placeholder string in a comment stays text; no token takes its place."""
    area = reverse("assessments:area", args=[org.slug, org.round.pk, 1])
    author = _member(org.people["practitioner"])
    author.get(area)
    author_secret = author.cookies[settings.CSRF_COOKIE_NAME].value
    comment = f"Compare {PLACEHOLDER} and <{PLACEHOLDER}>"
    saved = author.post(
        reverse("assessments:item_save", args=[org.slug, org.round.pk, ITEM]),
        {f"value-{ITEM}": "no", f"comment-{ITEM}": comment, f"version-{ITEM}": "0"},
        headers={"HX-Request": "true", "X-CSRFToken": author_secret},
    )
    assert saved.status_code == 200

    reader = _member(org.people["viewer"])
    for _ in range(2):  # the second time too (nothing kept from the first rendering)
        page = reader.get(area)
        assert page.status_code == 200
        assert _comment_shown(page.text) == escape(comment, quote=False)
        reader_secret = reader.cookies[settings.CSRF_COOKIE_NAME].value
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        for token in [author_secret, reader_secret, *tokens]:
            assert token not in _comment_shown(page.text)
        assert author_secret not in page.text

    summary = reader.get(reverse("reporting:summary", args=[org.slug, org.round.pk]))
    assert summary.status_code == 200
    assert escape(comment, quote=False) in summary.text or escape(comment) in summary.text
    assert author_secret not in summary.text
