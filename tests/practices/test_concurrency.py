"""Two members at once on PostgreSQL: one clear winner, the other told, nothing half-written."""

import pytest

from content.models import Indicator
from practices import scoring, selectors, services
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
    conflicts = [outcome.conflict for _, outcome in results]
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
        conflicts = [outcome.conflict for _, outcome in results]
        assert sorted(c is None for c in conflicts) == [False, True], attempt
        stored = Rating.objects.get(practice=practice, indicator=indicator)
        assert stored.version == version + 1
        winner = next(outcome.record for _, outcome in results if outcome.conflict is None)
        assert (stored.value, stored.evidence) == (winner.value, winner.evidence)


def test_a_rating_and_a_submission_at_once_see_each_other_whole(setup):
    """Both lock the practice first: the submission is made from the ratings before the change
    (a good practice) or refused after it (promising), never from half of it, and neither
    deadlocks."""
    from django.core.exceptions import ValidationError

    from practices.models import Practice, PracticeSubmission
    from tests.practices.conftest import indicator_keys, rate

    practice, (alice, bob) = setup
    values = dict.fromkeys(indicator_keys(), "3")
    # Domain 4 at exactly its minimum (8 of 12): one point less makes the practice promising.
    values.update({"d4.q2.i1": "1", "d4.q2.i2": "1"})
    rate(practice, bob, values)
    before = selectors.practice_result(practice)
    assert before.verdict == scoring.Verdict.GOOD
    indicator = Indicator.objects.get(key="d4.q1.i1")
    revision = Practice.objects.get(pk=practice.pk).revision
    results = run_together(
        lambda: services.submission_create(practice=practice, user=alice),
        lambda: services.rating_set(
            practice=practice,
            indicator=indicator,
            value="2",
            evidence="lower",
            expected_version=1,
            user=bob,
        ),
    )
    (submitted, submission), (rated, saved) = results
    assert rated == "ok" and saved.conflict is None, results
    assert Rating.objects.get(practice=practice, indicator=indicator).value == "2"
    if submitted == "ok":
        assert submission.verdict_at_submission == "good"
        assert submission.score_at_submission == scoring.as_percent(before.overall.score)
        assert Practice.objects.get(pk=practice.pk).revision == revision + 2
    else:
        assert isinstance(submission, ValidationError), results
        assert not PracticeSubmission.objects.exists()
        assert Practice.objects.get(pk=practice.pk).revision == revision + 1
