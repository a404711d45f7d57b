from fractions import Fraction

import pytest

from assessments.scoring import (
    NA,
    NO,
    PARTLY,
    YES,
    Progress,
    Verdict,
    area_result,
    combine,
    counted_value,
    score_change,
)


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
        ([YES, None, YES], None, None, (2, 3)),  # no score until every item is answered
        ([None, None], None, None, (0, 2)),
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
    assert overall.score is None and overall.percent is None  # one area is not finished
    assert (overall.answered, overall.applicable) == (3, 4)
    finished = combine([area_result([YES, YES]), area_result([NO, NA]), area_result([PARTLY])])
    assert finished.score == Fraction(5, 8)


@pytest.mark.parametrize(
    "values, progress",
    [
        ([None, None], Progress.NOT_STARTED),
        ([NA, None], Progress.NOT_STARTED),  # a preset "not applicable" is no start
        ([YES, None], Progress.IN_PROGRESS),
        ([NO, None, None], Progress.IN_PROGRESS),
        ([YES, NO], Progress.COMPLETE),
        ([NA, NA], Progress.COMPLETE),
        ([], Progress.COMPLETE),
    ],
)
def test_progress_of_an_area(values, progress):
    assert area_result(values).progress == progress


@pytest.mark.parametrize(
    "current, previous, change",
    [
        ([YES, YES], [YES, NO], 50),
        ([NO, NO], [YES, NO], -50),
        ([YES, NO], [NO, YES], 0),
        ([YES, None], [NO, NO], None),  # unfinished now: no change, however many are Yes
        ([YES, YES], [YES, None], None),  # unfinished then
        ([NA, NA], [YES, YES], None),  # nothing applies now
    ],
)
def test_a_change_needs_a_score_in_both_rounds(current, previous, change):
    assert score_change(area_result(current), area_result(previous)) == change
    assert score_change(area_result(current), None) is None


@pytest.mark.parametrize(
    "stored, carried_over, na_for, org_type, audience, expected",
    [
        (None, False, [], "ngo", "all", None),
        ("", False, [], "ngo", "all", None),  # an answer cleared again
        (None, False, ["ngo"], "ngo", "all", NA),  # a preset
        (None, False, ["ngo"], "local_authority", "all", None),
        (YES, False, ["ngo"], "ngo", "all", YES),  # an answer overrides the preset
        (None, False, [], "ngo", "local_authority", NA),  # an optional checklist
        (None, False, [], "local_authority", "local_authority", None),  # its own checklist
        (NO, False, [], "ngo", "local_authority", NO),
        (YES, True, [], "ngo", "all", None),  # carried over, not confirmed: unanswered
        (YES, True, ["ngo"], "ngo", "all", NA),  # ... and then the preset
        (NO, True, [], "ngo", "local_authority", NA),  # ... or optional
    ],
)
def test_counted_value_carried_over_presets_and_optional_checklists(
    stored, carried_over, na_for, org_type, audience, expected
):
    counted = counted_value(
        stored,
        carried_over=carried_over,
        audience=audience,
        not_applicable_for=na_for,
        org_type=org_type,
    )
    assert counted == expected
