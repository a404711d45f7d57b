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


def test_two_changes_of_the_same_rating_from_one_version_have_one_winner(setup):
    practice, (alice, bob) = setup
    indicator = Indicator.objects.get(key="d3.q1.i2")
    services.rating_set(
        practice=practice,
        indicator=indicator,
        value="1",
        evidence="",
        expected_version=0,
        user=alice,
    )
    for attempt in range(5):
        version = Rating.objects.get(practice=practice, indicator=indicator).version
        results = run_together(
            *(
                lambda user=user, value=value, version=version: services.rating_set(
                    practice=practice,
                    indicator=indicator,
                    value=value,
                    evidence=user.email,
                    expected_version=version,
                    user=user,
                )
                for user, value in ((alice, "3"), (bob, "0"))
            )
        )
        assert all(kind == "ok" for kind, _ in results), results
        conflicts = [outcome[1] for _, outcome in results]
        assert sorted(c is None for c in conflicts) == [False, True], attempt
        stored = Rating.objects.get(practice=practice, indicator=indicator)
        assert stored.version == version + 1
        winner = next(outcome[0] for _, outcome in results if outcome[1] is None)
        assert (stored.value, stored.evidence) == (winner.value, winner.evidence)


def test_the_one_statement_save_and_rating_set_at_once_have_one_winner(setup):
    """A request's save (`rating_save`, one statement) beside another member's `rating_set`:
    both lock the rating before the practice, so they neither deadlock nor both win."""
    from practices.models import Practice

    practice, (alice, bob) = setup
    indicator = Indicator.objects.get(key="d3.q1.i2")
    services.rating_set(
        practice=practice, indicator=indicator, value="1", evidence="", expected_version=0, user=bob
    )
    org_slug = practice.organisation.slug
    for attempt in range(5):
        version = Rating.objects.get(practice=practice, indicator=indicator).version
        revision = Practice.objects.get(pk=practice.pk).revision
        results = run_together(
            lambda version=version: services.rating_save(
                user=alice,
                org_slug=org_slug,
                practice_id=practice.pk,
                indicator=indicator,
                value="3",
                evidence="alice",
                version=version,
            ),
            lambda version=version: services.rating_set(
                practice=practice,
                indicator=indicator,
                value="0",
                evidence="bob",
                expected_version=version,
                user=bob,
            ),
        )
        assert all(kind == "ok" for kind, _ in results), results
        (_, saved), (_, (_, conflict)) = results
        assert [saved is not None, conflict is None].count(True) == 1, attempt
        stored = Rating.objects.get(practice=practice, indicator=indicator)
        assert stored.version == version + 1
        assert stored.evidence == ("alice" if saved else "bob")
        assert Practice.objects.get(pk=practice.pk).revision == revision + 1
