"""The organisation's consent: private by default, chosen by a coordinator, recorded."""

import pytest
from django.urls import reverse

from assessments.models import Sharing
from tests.assessments.conftest import make_org, make_user
from tests.dom import checked, field, find, parse

pytestmark = pytest.mark.django_db


def _url(org):
    return reverse("assessments:organisation_sharing", args=[org.slug])


def test_a_new_organisation_shares_nothing(org):
    assert org.sharing == Sharing.PRIVATE and not org.shares


def test_a_coordinator_chooses_the_level_and_who_and_when_is_recorded(as_user, org):
    client = as_user(org.people["coordinator"])
    page = parse(client.get(_url(org)))
    assert checked(page, "sharing") == "private"
    assert find(page, ".//*[@data-sharing-levels]") is not None  # the levels explained
    response = client.post(_url(org), {"sharing": "pool"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.sharing == Sharing.POOL
    assert org.sharing_changed_by == org.people["coordinator"]
    assert org.sharing_changed_at is not None
    assert checked(parse(client.get(_url(org))), "sharing") == "pool"


def test_an_unknown_level_is_refused(as_user, org):
    response = as_user(org.people["coordinator"]).post(_url(org), {"sharing": "everyone"})
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.sharing == Sharing.PRIVATE


@pytest.mark.parametrize("role", ["practitioner", "viewer"])
def test_other_members_read_the_level_but_cannot_change_it(as_user, org, role):
    client = as_user(org.people[role])
    response = client.get(_url(org))
    assert response.status_code == 200 and field(parse(response), "sharing") is None
    assert client.post(_url(org), {"sharing": "pool"}).status_code == 403
    org.refresh_from_db()
    assert org.sharing == Sharing.PRIVATE


def test_a_coordinator_of_another_organisation_gets_404(as_user, org):
    other = make_org("valka")
    stranger = make_user("coordinator@valka.example")
    other.memberships.create(user=stranger, role="coordinator")
    client = as_user(stranger)
    assert client.get(_url(org)).status_code == 404
    assert client.post(_url(org), {"sharing": "pool"}).status_code == 404
    org.refresh_from_db()
    assert org.sharing == Sharing.PRIVATE


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    response = client.post(_url(org), {"sharing": "pool"})
    assert response.status_code == 302 and "login" in response["Location"]
    org.refresh_from_db()
    assert org.sharing == Sharing.PRIVATE


def test_the_organisation_page_links_to_sharing(as_user, org):
    page = parse(as_user(org.people["viewer"]).get(org.get_absolute_url()))
    link = find(page, ".//a[@data-sharing-link]")
    assert link is not None and link.get("href") == _url(org)
