"""Every organisation page costs a fixed number of queries, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Membership, Role
from content.models import ChecklistItem
from tests.assessments.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(org):
    """More members, rounds, answers, invitations and organisations of the same person."""
    coordinator = org.people["coordinator"]
    for n in range(6):
        Membership.objects.create(
            user=make_user(f"m{n}@riga.example"), organisation=org, role=Role.PRACTITIONER
        )
        services.invitation_create(
            organisation=org, email=f"i{n}@riga.example", role=Role.VIEWER, invited_by=coordinator
        )
        other = make_org(f"extra-{n}")
        Membership.objects.create(user=coordinator, organisation=other, role=Role.VIEWER)
    services.round_close(round=org.round, user=coordinator)
    for n in range(4):
        round_ = services.round_start(
            organisation=org, name=f"R{n}", user=coordinator, copy_from=org.round
        )
        services.answer_set(
            round=round_,
            item=ChecklistItem.objects.get(key="ka1.c1.i01"),
            value="yes",
            comment="",
            expected_version=1,
            user=coordinator,
        )


PAGES = {
    "home": lambda org: reverse("assessments:home"),
    "organisation": lambda org: reverse("assessments:organisation", args=[org.slug]),
    "members": lambda org: reverse("assessments:members", args=[org.slug]),
    "round": lambda org: reverse("assessments:round", args=[org.slug, org.round.pk]),
    "action_new": lambda org: (
        reverse("assessments:action_new", args=[org.slug, org.round.pk]) + "?item=ka1.c1.i01"
    ),
}
BUDGET = {"home": 4, "organisation": 4, "members": 5, "round": 9, "action_new": 6}


@pytest.mark.parametrize("name", PAGES)
def test_organisation_pages_cost_a_fixed_number_of_queries(as_user, org, name):
    client = as_user(org.people["coordinator"])
    before = _queries(client, PAGES[name](org))
    _grow(org)
    after = _queries(client, PAGES[name](org))
    assert before == after <= BUDGET[name]
