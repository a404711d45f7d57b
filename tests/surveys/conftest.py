import pytest

from surveys import services
from surveys.models import Agreement
from surveys.selectors import survey_questions
from tests.assessments.conftest import as_user, make_org, make_user, org, other_org  # noqa: F401

ALL_AREAS = ["ka1", "ka2", "ka3", "ka4", "ka5", "ka6"]
LANGUAGES = ["lv", "en", "uk", "ru", "ar"]


@pytest.fixture
def survey(org):  # noqa: F811
    return services.survey_create(
        round=org.round, key_areas=ALL_AREAS, languages=LANGUAGES, user=org.people["coordinator"]
    )


def add_responses(survey, count, *, value=Agreement.AGREE, free_text="", **about):
    """`count` responses rating every statement of the survey `value`."""
    statements, _open = survey_questions(survey)
    return [
        services.response_submit(
            survey=survey,
            ratings={q: value for q in statements},
            free_text=free_text,
            **about,
        )
        for _ in range(count)
    ]
