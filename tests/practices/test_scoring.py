"""The assessment table's scores and verdict: pure functions, exact at every threshold."""

from decimal import Decimal
from fractions import Fraction

import pytest

from practices import scoring
from practices.scoring import Thresholds, Verdict

DEFAULT = Thresholds(
    good_overall=Fraction(7, 10),
    domain_minimum=Fraction(2, 3),
    promising_overall=Fraction(1, 2),
)


def ratings(*groups: tuple[int, str]) -> list[str]:
    """ratings((97, "3"), (903, "2")) → 97 threes followed by 903 twos."""
    return [value for count, value in groups for _ in range(count)]


FULL = ratings((10, "3"))  # a domain rated "fully" throughout

VERDICTS = [
    # (what it shows, {domain: values}, verdict)
    ("everything fully in place", {"d1": FULL, "d2": FULL}, Verdict.GOOD),
    ("one indicator not rated", {"d1": FULL, "d2": [*FULL[:-1], None]}, Verdict.INCOMPLETE),
    ("an empty string is not rated", {"d1": FULL, "d2": [*FULL[:-1], ""]}, Verdict.INCOMPLETE),
    (
        "overall exactly 70 %, every domain 70 %",
        {d: ratings((1, "3"), (9, "2")) for d in ("d1", "d2", "d3", "d4", "d5")},
        Verdict.GOOD,
    ),
    (
        "overall 69.9 % (2097 of 3000 points), domain above 2/3",
        {"d1": ratings((97, "3"), (903, "2"))},
        Verdict.PROMISING,
    ),
    (
        "overall 70.0 % (2100 of 3000 points)",
        {"d1": ratings((100, "3"), (900, "2"))},
        Verdict.GOOD,
    ),
    ("a domain at exactly 2/3", {"d1": ratings((3, "2")), "d2": FULL}, Verdict.GOOD),
    (
        "a domain at 66.6 % (999 of 1500 points)",
        {"d1": ratings((499, "2"), (1, "1")), "d2": ratings((1000, "3"))},
        Verdict.PROMISING,
    ),
    (
        "a domain at 66.7 % (2001 of 3000 points)",
        {"d1": ratings((1, "3"), (999, "2")), "d2": ratings((1000, "3"))},
        Verdict.GOOD,
    ),
    (
        "a domain one point short of 2/3 (5 of 9)",
        {"d1": ratings((2, "2"), (1, "1")), "d2": FULL},
        Verdict.PROMISING,
    ),
    (
        "all indicators of a domain not applicable: the gate is not met",
        {"d1": ratings((5, "na")), "d2": FULL, "d3": FULL},
        Verdict.PROMISING,
    ),
    (
        "not applicable indicators leave the denominator",
        {"d1": ratings((2, "2"), (8, "na")), "d2": FULL},
        Verdict.GOOD,
    ),
    ("everything not applicable: no score", {"d1": ratings((4, "na"))}, Verdict.EMERGING),
    ("overall exactly 50 %", {"d1": ratings((1, "3"), (1, "0"))}, Verdict.PROMISING),
    (
        "overall 49.9 % (1497 of 3000 points)",
        {"d1": ratings((499, "3"), (501, "0"))},
        Verdict.EMERGING,
    ),
    ("nothing in place", {"d1": ratings((10, "0"))}, Verdict.EMERGING),
    (
        "overall above 70 % but one domain at 1/3",
        {"d1": ratings((3, "1")), "d2": ratings((30, "3"))},
        Verdict.PROMISING,
    ),
    (
        "incomplete beats everything, even an all-na domain",
        {"d1": ratings((5, "na")), "d2": [*FULL, None]},
        Verdict.INCOMPLETE,
    ),
]


@pytest.mark.parametrize(
    "values_by_domain, expected",
    [case[1:] for case in VERDICTS],
    ids=[case[0] for case in VERDICTS],
)
def test_verdict(values_by_domain, expected):
    assert scoring.result(values_by_domain, DEFAULT).verdict == expected


@pytest.mark.parametrize(
    "values, points, applicable, score",
    [
        (["3", "2", "1", "0"], 6, 4, Fraction(1, 2)),
        (["3", "na"], 3, 1, Fraction(1)),
        (["na", "na"], 0, 0, None),
        (["2", None], 2, 1, Fraction(2, 3)),  # so far: unrated ones are not counted
        ([], 0, 0, None),
    ],
)
def test_tally(values, points, applicable, score):
    tally = scoring.tally(values)
    assert (tally.points, tally.applicable, tally.score) == (points, applicable, score)
    assert tally.max_points == 3 * applicable


def test_overall_is_points_over_all_applicable_indicators_not_a_mean_of_domains():
    result = scoring.result({"d1": ["3"], "d2": ["0", "0", "0"]}, DEFAULT)
    assert result.overall.score == Fraction(3, 12)  # not (100 % + 0 %) / 2


def test_unknown_values_are_refused():
    with pytest.raises(ValueError):
        scoring.tally(["3", "4"])
    with pytest.raises(ValueError):
        scoring.tally(["yes"])


@pytest.mark.parametrize(
    "values, threshold, needed",
    [
        (["2", "2", "1"], Fraction(2, 3), 1),  # 5 of 9 → 6 of 9
        (["2", "2", "2"], Fraction(2, 3), 0),
        (["0"] * 10, Fraction(7, 10), 21),
        (["1", "na"], Fraction(7, 10), 2),  # 1 of 3 → 3 of 3 (2.1 rounds up)
        (["na"], Fraction(2, 3), None),
    ],
)
def test_points_needed(values, threshold, needed):
    assert scoring.tally(values).points_needed(threshold) == needed


def test_short_domains_and_points_needed_for_the_overall():
    result = scoring.result(
        {"d1": ratings((3, "1")), "d2": FULL, "d3": ratings((2, "na"))}, DEFAULT
    )
    assert result.short_domains == ["d1", "d3"]
    assert result.overall_points_needed == 0  # (3 + 30) / 39 is above 70 %


def test_lowest_rated_indicators_lowest_first_in_handbook_order():
    rated = [("a", "2"), ("b", "0"), ("c", "na"), ("d", "3"), ("e", "0"), ("f", "1")]
    assert scoring.lowest_rated(rated) == ["b", "e", "f"]
    assert scoring.lowest_rated([("a", "3"), ("b", "na"), ("c", None)]) == []


@pytest.mark.parametrize(
    "value, expected",
    [
        (Fraction(2, 3), Fraction(2, 3)),
        ("2/3", Fraction(2, 3)),
        (0.7, Fraction(7, 10)),  # the decimal written, not the binary float
        (0.70, Fraction(7, 10)),
        ("0.5", Fraction(1, 2)),
        (70, Fraction(7, 10)),  # a percentage
        (1, Fraction(1)),
    ],
)
def test_thresholds_are_read_exactly(value, expected):
    assert scoring.as_fraction(value) == expected


@pytest.mark.parametrize("value", [-0.1, "150", "abc"])
def test_invalid_thresholds_are_refused(value):
    with pytest.raises(ValueError):
        scoring.as_fraction(value)


def test_thresholds_come_from_settings(settings):
    assert scoring.thresholds_from_settings() == DEFAULT
    settings.PRACTICE_GOOD_OVERALL = 0.8
    settings.PRACTICE_DOMAIN_MINIMUM = Fraction(1, 2)
    settings.PRACTICE_PROMISING_OVERALL = "0.6"
    thresholds = scoring.thresholds_from_settings()
    assert thresholds == Thresholds(Fraction(4, 5), Fraction(1, 2), Fraction(3, 5))
    # 75 %: good with the defaults, only promising with these settings.
    values = {"d1": ratings((1, "3"), (3, "2"))}
    assert scoring.result(values, DEFAULT).verdict == Verdict.GOOD
    assert scoring.result(values, thresholds).verdict == Verdict.PROMISING


@pytest.mark.parametrize(
    "score, shown",
    [
        (Fraction(2, 3), Decimal("66.7")),
        (Fraction(699, 1000), Decimal("69.9")),
        (Fraction(7, 10), Decimal("70")),
        (Fraction(1999, 3000), Decimal("66.6")),  # 66.633… is not shown as the minimum
        (Fraction(1, 1), Decimal("100")),
        (None, None),
    ],
)
def test_percent_for_display(score, shown):
    assert scoring.as_percent(score) == shown
