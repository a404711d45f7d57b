"""Round pages are rendered once and shared by members: nothing personal may travel with them."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from assessments.fragments import CSRF_SLOT
from assessments.models import Membership, Role
from tests.assessments.conftest import make_user

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


def area_url(org, number=1):
    return reverse("assessments:area", args=[org.slug, org.round.pk, number])


def summary_url(org):
    return reverse("assessments:summary", args=[org.slug, org.round.pk])


def reader(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def two_practitioners(org):
    second = make_user("second@riga.example")
    Membership.objects.create(user=second, organisation=org, role=Role.PRACTITIONER)
    return reader(org.people["practitioner"]), reader(second)


@pytest.mark.parametrize("url", [area_url, summary_url])
def test_each_reader_of_a_shared_page_gets_their_own_csrf_token(org, two_practitioners, url):
    first, second = two_practitioners
    pages = [client.get(url(org)) for client in (first, second)]
    for client, page in zip((first, second), pages, strict=True):
        assert page.status_code == 200
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        tokens = TOKEN.findall(page.text) + HEADER_TOKEN.findall(page.text)
        assert tokens, "the page has a form or HTMX header that needs a token"
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
        assert CSRF_SLOT not in page.text
    assert pages[0].text.count("csrf") == pages[1].text.count("csrf")
    # What is kept in the cache has the placeholder, never somebody's token.
    stored = [value for value in cache._cache.values()]  # noqa: SLF001 - local memory cache
    assert stored
    for client in (first, second):
        secret = client.cookies[settings.CSRF_COOKIE_NAME].value
        for page in (pages[0].text, pages[1].text):
            for token in TOKEN.findall(page):
                assert all(token.encode() not in value for value in stored)
        assert all(secret.encode() not in value for value in stored)


def test_the_shared_page_posts_with_the_readers_token(org, two_practitioners):
    first, second = two_practitioners
    first.get(area_url(org))  # fills the cache
    page = second.get(area_url(org)).text
    token = TOKEN.search(page).group(1)
    response = second.post(
        area_url(org),
        {
            "csrfmiddlewaretoken": token,
            "value-ka1.c1.i01": "yes",
            "comment-ka1.c1.i01": "",
            "version-ka1.c1.i01": "0",
        },
    )
    assert response.status_code == 302


def test_flash_messages_are_shown_to_their_reader_only(org, two_practitioners):
    first, second = two_practitioners
    second.get(area_url(org))  # the shared page is in the cache
    token = TOKEN.search(first.get(area_url(org)).text).group(1)
    first.post(
        area_url(org),
        {
            "csrfmiddlewaretoken": token,
            "value-ka1.c1.i01": "yes",
            "comment-ka1.c1.i01": "",
            "version-ka1.c1.i01": "0",
        },
    )
    saved = "Jūsu atbildes ir saglabātas."  # "Your answers were saved."
    assert saved in first.get(area_url(org)).text
    assert saved not in second.get(area_url(org)).text
    assert saved not in first.get(area_url(org)).text  # shown once
    assert 'value="yes" checked' in second.get(area_url(org)).text
