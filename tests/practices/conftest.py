import pytest

from content.models import Indicator
from practices import services
from tests.assessments.conftest import (  # noqa: F401 - fixtures shared with the self-assessment
    PASSWORD,
    as_user,
    make_org,
    make_user,
    org,
    other_org,
)


def indicator_keys() -> list[str]:
    return list(
        Indicator.objects.current()
        .order_by("question__domain__order", "question__order", "order")
        .values_list("key", flat=True)
    )


def rate(practice, user, values: dict[str, str] | str, evidence: str = ""):
    """Rate indicators by key ({key: value}), or every current indicator with one value: in
    one save, as the whole-page form does (all or nothing)."""
    if isinstance(values, str):
        values = dict.fromkeys(indicator_keys(), values)
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=values)}
    versions = dict(
        practice.ratings.filter(indicator__key__in=values).values_list("indicator__key", "version")
    )
    refused = services.ratings_set(
        practice=practice,
        changes=[
            services.RatingChange(
                indicator=indicators[key],
                value=value,
                evidence=evidence,
                expected_version=versions.get(key, 0),
            )
            for key, value in values.items()
        ],
        user=user,
    )
    assert not refused, refused


@pytest.fixture
def practice(org):  # noqa: F811 - pytest passes the fixture imported above
    """A practice of the `org` fixture, not rated yet, concerning key areas 5.1 and 5.4."""
    from content.models import KeyArea

    org.practice = services.practice_create(
        organisation=org,
        user=org.people["practitioner"],
        name="Ģimeņu atbalsta punkts Cēsīs",
        description="Konsultācijas bēgļu ģimenēm",
        key_areas=list(KeyArea.objects.filter(number__in=[1, 4])),
    )
    return org.practice


@pytest.fixture
def other_practice(other_org):  # noqa: F811
    return services.practice_create(
        organisation=other_org,
        user=other_org.people["coordinator"],
        name="Other organisation's practice",
        description="",
        key_areas=[],
    )
