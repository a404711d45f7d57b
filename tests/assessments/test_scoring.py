from fractions import Fraction

import pytest

from assessments.scoring import NA, NO, PARTLY, YES, Verdict, area_result, combine, effective_value


@pytest.mark.parametrize(
    "values, verdict, score, progress",
    [
        ([YES, YES, YES], Verdict.COMPREHENSIVE, Fraction(1), (3, 3)),
        ([YES, NO, YES], Verdict.IMPROVE, Fraction(2, 3), (3, 3)),
        ([NO, NO, NO], Verdict.RETHINK, Fraction(0), (3, 3)),
        ([PARTLY, PARTLY], Verdict.IMPROVE, Fraction(1, 2), (2, 2)),
        ([PARTLY, NO, NO, NO], Verdict.IMPROVE, Fraction(1, 8), (4, 4)),
        ([YES, NA, YES], Verdict.COMPREHENSIVE, Fraction(1), (2, 2)),
        ([NO, NA], Verdict.RETHINK, Fraction(0), (1, 1)),
        ([YES, None, YES], None, Fraction(2, 3), (2, 3)),
        ([None, None], None, Fraction(0), (0, 2)),
        ([NA, NA, NA], Verdict.NOT_APPLICABLE, None, (0, 0)),
        ([YES, PARTLY, NO, NA], Verdict.IMPROVE, Fraction(1, 2), (3, 3)),
        ([], Verdict.NOT_APPLICABLE, None, (0, 0)),
    ],
    ids=[
        "all-yes",
        "some",
        "none",
        "all-partly",
        "partly-is-not-none",
        "na-ignored",
        "no-with-na",
        "unanswered-no-verdict",
        "nothing-answered",
        "all-not-applicable",
        "mixed",
        "empty",
    ],
)
def test_area_verdict_score_and_progress(values, verdict, score, progress):
    result = area_result(values)
    assert result.verdict == verdict
    assert result.score == score
    assert (result.answered, result.applicable) == progress


def test_unknown_value_is_rejected():
    with pytest.raises(ValueError):
        area_result([YES, "maybe"])


def test_percent_rounds_the_score():
    assert area_result([YES, PARTLY, NO]).percent == 50
    assert area_result([YES, YES, NO]).percent == 67


def test_overall_combines_the_items_of_every_area():
    overall = combine([area_result([YES, YES]), area_result([NO, NA]), area_result([None])])
    assert (overall.yes, overall.no, overall.not_applicable, overall.unanswered) == (2, 1, 1, 1)
    assert overall.verdict is None
    assert overall.score == Fraction(2, 4)


@pytest.mark.parametrize(
    "stored, na_for, org_type, optional, expected",
    [
        (None, [], "ngo", False, None),
        (None, ["ngo"], "ngo", False, NA),
        (None, ["ngo"], "local_authority", False, None),
        (YES, ["ngo"], "ngo", False, YES),
        (None, [], "ngo", True, NA),
        (NO, [], "ngo", True, NO),
    ],
)
def test_effective_value_presets_and_optional_checklists(
    stored, na_for, org_type, optional, expected
):
    assert (
        effective_value(
            stored, not_applicable_for=na_for, org_type=org_type, optional_checklist=optional
        )
        == expected
    )
