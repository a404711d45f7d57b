"""Who may do what in the assessment table: every organisation URL, method and visitor."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from practices.models import Practice, PracticeSubmission, Rating
from tests.conftest import pdf_if

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "other", "viewer", "practitioner", "coordinator"]
READ = {"anonymous": 302, "other": 404, "viewer": 200, "practitioner": 200, "coordinator": 200}
WRITE_FORM = {
    "anonymous": 302,
    "other": 404,
    "viewer": 403,
    "practitioner": 200,
    "coordinator": 200,
}
WRITE = {"anonymous": 302, "other": 404, "viewer": 403, "practitioner": 302, "coordinator": 302}
HTMX_WRITE = {
    "anonymous": 401,
    "other": 404,
    "viewer": 403,
    "practitioner": 200,
    "coordinator": 200,
}
RATING = {"value-d1.q1.i1": "2", "version-d1.q1.i1": "0"}


def _org(o):
    return [o.slug]


def _practice(o):
    return [o.slug, o.practice.pk]


# url name -> (args from the fixtures, {method: expected statuses}, POST data, htmx)
MATRIX = {
    "practice_list": (_org, {"get": READ}, {}, False),
    "practice_create": (_org, {"get": WRITE_FORM, "post": WRITE}, {"name": "New practice"}, False),
    "practice_detail": (_practice, {"get": READ, "post": WRITE}, RATING, False),
    "practice_edit": (
        _practice,
        {"get": WRITE_FORM, "post": WRITE},
        {"name": "Renamed", "description": "", "version": "0"},
        False,
    ),
    "practice_rating_save": (
        lambda o: [o.slug, o.practice.pk, "d1.q1.i1"],
        {"post": HTMX_WRITE},
        RATING,
        True,
    ),
    "practice_result": (_practice, {"get": READ}, {}, False),
    "practice_scorecard": (_practice, {"get": READ}, {}, False),
    "practice_export_csv": (_practice, {"get": READ}, {}, False),
    "practice_export_json": (_practice, {"get": READ}, {}, False),
    "practice_submit": (_practice, {"post": WRITE}, {}, False),
}


def _patterns(resolver, prefix="", namespace=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern, route, pattern.namespace or namespace)
        else:
            yield namespace, route, pattern.name


def test_every_organisation_url_of_the_practices_app_is_in_the_matrix():
    names = {
        name
        for namespace, route, name in _patterns(get_resolver())
        if namespace == "practices" and "org_slug" in route
    }
    assert names == set(MATRIX)


CASES = [
    pytest.param(
        name,
        method,
        persona,
        marks=pdf_if(name == "practice_scorecard" and methods[method][persona] == 200),
    )
    for name, (_args, methods, _data, _htmx) in MATRIX.items()
    for method in methods
    for persona in PERSONAS
]


@pytest.mark.parametrize("name, method, persona", CASES)
def test_access(client, org, other_org, practice, name, method, persona):
    args, methods, data, htmx = MATRIX[name]
    if persona == "other":
        client.force_login(other_org.people["coordinator"])
    elif persona != "anonymous":
        client.force_login(org.people[persona])
    url = reverse(f"practices:{name}", args=args(org))
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(client, method)(url, data, headers=headers)
    assert response.status_code == methods[method][persona]
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith("/lv/accounts/login/")
    if response.status_code in (403, 404):
        body = response.content.decode()
        assert org.name not in body and practice.name not in body


@pytest.mark.parametrize("name", list(MATRIX))
def test_anonymous_htmx_requests_get_401_not_a_login_page(org, practice, name):
    args, methods, data, _htmx = MATRIX[name]
    client = Client()
    for method in methods:
        response = getattr(client, method)(
            reverse(f"practices:{name}", args=args(org)), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 401


def test_viewer_and_stranger_writes_change_nothing(client, org, other_org, practice):
    for user in (org.people["viewer"], other_org.people["coordinator"]):
        client.force_login(user)
        for name, (args, methods, data, htmx) in MATRIX.items():
            if "post" in methods:
                headers = {"HX-Request": "true"} if htmx else {}
                client.post(reverse(f"practices:{name}", args=args(org)), data, headers=headers)
    assert not Rating.objects.exists() and not PracticeSubmission.objects.exists()
    assert list(Practice.objects.values_list("name", flat=True)) == [practice.name]


def test_a_practice_of_another_organisation_is_404_even_for_a_member(
    client, org, other_org, practice, other_practice
):
    client.force_login(org.people["coordinator"])
    for name in ("practice_detail", "practice_result", "practice_scorecard", "practice_export_csv"):
        url = reverse(f"practices:{name}", args=[org.slug, other_practice.pk])
        assert client.get(url).status_code == 404


def test_rating_without_csrf_token_is_refused(org, practice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.people["practitioner"])
    response = client.post(
        reverse("practices:practice_rating_save", args=[org.slug, practice.pk, "d1.q1.i1"]),
        RATING,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()


@pytest.mark.parametrize("change_account", ["password", "deactivate"])
def test_a_changed_account_ends_the_session_with_nothing_written(
    as_user, org, practice, change_account
):
    user = org.people["practitioner"]
    client = as_user(user)
    url = reverse("practices:practice_rating_save", args=[org.slug, practice.pk, "d1.q1.i1"])
    assert client.post(url, RATING, headers={"HX-Request": "true"}).status_code == 200
    revision = Practice.objects.get().revision
    if change_account == "password":
        user.set_password("another-Long-password-8")
    else:
        user.is_active = False
    user.save()
    change = {"value-d1.q1.i1": "0", "version-d1.q1.i1": "1"}
    assert client.post(url, change, headers={"HX-Request": "true"}).status_code == 401
    assert Rating.objects.get().value == "2"
    assert Practice.objects.get().revision == revision


@pytest.mark.parametrize("name", ["library", "example"])
def test_the_library_needs_no_account(client, name):
    args = [] if name == "library" else ["ravenna-intercultural-immigration-network"]
    assert client.get(reverse(f"practices:{name}", args=args)).status_code == 200
