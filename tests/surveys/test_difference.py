"""The staff's score beside the participants' agreement: two measures named apart, and their
difference in words and colour scaled to its size, never alarm red for a point."""

from fractions import Fraction

import pytest
from django.utils import translation

from assessments.models import Answer, AnswerValue
from content.models import ChecklistItem, KeyArea
from surveys import scoring
from surveys.models import Agreement
from surveys.selectors import AreaView
from tests.dom import by_id, lv, lv_plural, parse, text
from tests.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "points, size",
    [
        (None, None),
        (0, "same"),
        (1, "same"),
        (-9, "same"),
        (9, "same"),
        (10, "some"),
        (-10, "some"),
        (24, "some"),
        (25, "large"),
        (-44, "large"),
        (100, "large"),
    ],
)
def test_the_size_of_a_difference(points, size):
    assert scoring.gap_size(points) == size


@pytest.mark.parametrize(
    "staff, participants, words, side",
    [
        (Fraction(81, 100), Fraction(80, 100), "About the same", ""),
        (Fraction(80, 100), Fraction(81, 100), "About the same", ""),
        (Fraction(92, 100), Fraction(80, 100), "Your score somewhat higher", "staff"),
        (Fraction(1), Fraction(56, 100), "Your score much higher", "staff"),
        (
            Fraction(50, 100),
            Fraction(65, 100),
            "Participants' agreement somewhat higher",
            "participants",
        ),
        (
            Fraction(20, 100),
            Fraction(90, 100),
            "Participants' agreement much higher",
            "participants",
        ),
    ],
)
def test_the_difference_in_words_names_whose_measure_is_higher(staff, participants, words, side):
    area = AreaView(KeyArea(number=1), 5, participants, staff)
    points = abs(area.gap_points)
    assert area.gap_side == side
    difference = lv_plural(
        "difference: %(points)s percentage point",
        "difference: %(points)s percentage points",
        points,
        points=points,
    )
    with translation.override("lv"):
        assert area.difference_text == f"{lv(words)} ({difference})"


def test_without_a_score_there_is_no_difference():
    area = AreaView(KeyArea(number=1), 5, Fraction(1, 2), None)
    assert area.gap_size is None and area.difference_text == "–"


def _answer_area(org, key_area, values):
    items = ChecklistItem.objects.current().filter(checklist__key_area__key=key_area)
    Answer.objects.bulk_create(
        Answer(round=org.round, item=i, value=v) for i, v in zip(items, values, strict=False)
    )


def test_the_summary_names_both_measures_and_scales_the_difference(as_user, org, survey):
    # 5.1: ten items, staff 80 % (8 Yes, 2 No); participants 80 %: about the same.
    _answer_area(org, "ka1", [AnswerValue.YES] * 8 + [AnswerValue.NO] * 2)
    # 5.3: every item Yes, staff 100 %; participants 80 %: somewhat higher (20 points).
    items = ChecklistItem.objects.current().filter(checklist__key_area__key="ka3")
    _answer_area(org, "ka3", [AnswerValue.YES] * items.count())
    add_responses(survey, 4, value=Agreement.AGREE)
    add_responses(survey, 1, value=Agreement.DISAGREE)
    response = as_user(org.people["viewer"]).get(
        f"/lv/org/{org.slug}/rounds/{org.round.pk}/summary/"
    )
    section = by_id(parse(response), "participants")
    table = section.find(".//table")
    headers = [text(th) for th in table.findall("thead/tr/th")]
    assert headers[1:3] == [
        lv("Your score: share of checklist items met"),
        lv("Participants: share who agree"),
    ]
    spans = {
        text(row.find("th"))[:4]: row.findall("td")[-1].find("span")
        for row in table.findall("tbody/tr")
    }
    same, some = spans["5.1."], spans["5.3."]
    assert same.get("data-gap-size") == "same" and same.get("data-gap") == "0"
    assert "difference-staff" not in same.get("class")  # no warning colour for no gap
    assert text(same).startswith(lv("About the same"))
    assert some.get("data-gap-size") == "some" and some.get("data-gap") == "20"
    assert some.get("class") == "difference difference-some difference-staff"
    assert text(some).startswith(lv("Your score somewhat higher"))
    assert "20" in text(some)
    # Key areas without a staff score show no difference.
    assert spans["5.2."] is None
