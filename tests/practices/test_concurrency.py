"""Two members at once on PostgreSQL: one clear winner, the other told, nothing half-written."""

import pytest

from content.models import Indicator
from practices import services
from practices.models import Rating
from tests.assessments.test_concurrency import run_together
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(toolkit):
    from assessments.models import Membership
    from tests.assessments.conftest import make_org, make_user

    organisation = make_org("ogre")
    users = [make_user(f"u{i}@ogre.example") for i in range(2)]
    for user in users:
        Membership.objects.create(user=user, organisation=organisation, role="practitioner")
    practice = services.practice_create(
        organisation=organisation, user=users[0], name="P", description="", key_areas=[]
    )
    return practice, users


def test_two_first_ratings_of_the_same_indicator_have_one_winner(setup):
    practice, (alice, bob) = setup
    indicator = Indicator.objects.get(key="d3.q1.i2")
    results = run_together(
        *(
            lambda user=user, value=value: services.rating_set(
                practice=practice,
                indicator=indicator,
                value=value,
                evidence=user.email,
                expected_version=0,
                user=user,
            )
            for user, value in ((alice, "3"), (bob, "0"))
        )
    )
    assert all(kind == "ok" for kind, _ in results)
    conflicts = [outcome[1] for _, outcome in results]
    assert sorted(c is None for c in conflicts) == [False, True]  # one saved, one told
    stored = Rating.objects.get(practice=practice, indicator=indicator)
    assert (stored.value, stored.evidence) in {("3", alice.email), ("0", bob.email)}
    assert stored.version == 1
