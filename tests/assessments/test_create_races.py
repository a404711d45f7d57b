"""Creates that hold under a double submit and under two requests at once (PostgreSQL): one
organisation, round, action or survey, and no 500. Each race posts through the views from two
threads, each with its own connection."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Action, Membership, Organisation, Role, Round
from content.models import ChecklistItem
from surveys.models import Survey
from tests.assessments.conftest import make_org, make_user
from tests.assessments.test_concurrency import run_together
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ORGANISATION = {
    "name": "Ogres novads",
    "org_type": "local_authority",
    "city": "Ogre",
    "country": "LV",
}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twice_at_once(user, url, data):
    """The same form posted by two clients of one person at the same moment: the statuses."""
    clients = [logged_in(user), logged_in(user)]
    results = run_together(*(lambda c=c: c.post(url, data) for c in clients))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    return [response.status_code for _, response in results]


def twice_in_a_row(user, url, data):
    client = logged_in(user)
    return [client.post(url, data).status_code, client.post(url, data).status_code]


@pytest.fixture
def coordinated(toolkit):
    organisation = make_org("ogre")
    coordinator = make_user("coordinator@ogre.example")
    Membership.objects.create(user=coordinator, organisation=organisation, role=Role.COORDINATOR)
    round_ = services.round_start(organisation=organisation, name="First", user=coordinator)
    return organisation, coordinator, round_


@pytest.mark.parametrize("post", [twice_at_once, twice_in_a_row])
def test_one_organisation_from_two_posts(toolkit, post):
    user = make_user("new@ogre.example")
    statuses = post(user, reverse("assessments:organisation_create"), ORGANISATION)
    assert statuses == [302, 302]
    assert Organisation.objects.filter(memberships__user=user).count() == 1


def test_two_people_at_once_get_two_organisations_of_one_name(toolkit):
    """Different people, the same short name: both created, under two short names."""
    url = reverse("assessments:organisation_create")
    clients = [logged_in(make_user(f"p{n}@ogre.example")) for n in range(2)]
    results = run_together(*(lambda c=c: c.post(url, ORGANISATION) for c in clients))
    assert [r.status_code for _, r in results] == [302, 302], results
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "ogres-novads",
        "ogres-novads-2",
    ]


@pytest.mark.parametrize("post", [twice_at_once, twice_in_a_row])
def test_one_round_from_two_posts(coordinated, post):
    organisation, coordinator, _first = coordinated
    url = reverse("assessments:round_start", args=[organisation.slug])
    statuses = post(coordinator, url, {"name": "Second", "confirmed": "1"})
    assert statuses == [302, 302]
    assert Round.objects.filter(organisation=organisation, name="Second").count() == 1


@pytest.mark.parametrize("post", [twice_at_once, twice_in_a_row])
def test_one_action_from_two_posts(coordinated, post):
    organisation, coordinator, round_ = coordinated
    item = ChecklistItem.objects.current().get(key="ka1.c1.i01")
    url = reverse("assessments:action_new", args=[organisation.slug, round_.pk])
    statuses = post(
        coordinator, url, {"item": item.key, "title": "Translate the leaflet", "status": "open"}
    )
    assert statuses == [302, 302]
    assert Action.objects.filter(round=round_).count() == 1


@pytest.mark.parametrize("post", [twice_at_once, twice_in_a_row])
def test_one_survey_from_two_posts(coordinated, post):
    organisation, coordinator, round_ = coordinated
    url = reverse("surveys:manage", args=[organisation.slug, round_.pk])
    statuses = post(coordinator, url, {"key_areas": ["ka1"], "languages": ["lv"]})
    assert set(statuses) <= {200, 302} and 302 in statuses
    assert Survey.objects.filter(round=round_).count() == 1
