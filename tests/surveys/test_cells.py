"""Published cells (surveys/scoring.py): who counts, when a figure shows, how it may move.

Pure functions over plain data: no database.
"""

import random
from fractions import Fraction

import pytest

from surveys import scoring
from surveys.scoring import ResponseRatings

DK, NO, YES = 0, 2, 4
GENDERS = {"w": "woman", "m": "man", "o": "other", "-": ""}


def arrivals(code: str, **ratings) -> list[ResponseRatings]:
    """One response per character of `code` (w, m, o, -: prefer not to say), in that order,
    each rating `ratings` (key area: values; default: ka1 "agree")."""
    return [
        ResponseRatings(n, ratings or {"ka1": (YES,)}, gender=GENDERS[g])
        for n, g in enumerate(code, start=1)
    ]


@pytest.mark.parametrize(
    "n, published",
    [(0, 0), (4, 0), (5, 5), (6, 5), (9, 5), (10, 10), (14, 10), (15, 15)],
)
def test_a_cell_publishes_the_first_whole_batches_in_order_of_arrival(n, published):
    assert scoring.published(list(range(n)), 5) == list(range(published))


@pytest.mark.parametrize(
    "values, expected",
    [
        ([], None),
        ([0, 0], None),
        ([4, 5, 1, 2], Fraction(1, 2)),
        ([4, 0, 0, 3], Fraction(1, 2)),
        ([5, 5, 5], Fraction(1)),
        ([1, 2, 3], Fraction(0)),
    ],
)
def test_agreement_is_agree_and_strongly_agree_over_answers_other_than_dont_know(values, expected):
    assert scoring.agreement(values) == expected


@pytest.mark.parametrize(
    "share, published",
    [(Fraction(1, 3), 0.33), (Fraction(5, 6), 0.83), (Fraction(1), 1.0), (None, None)],
)
def test_shares_are_published_rounded(share, published):
    assert scoring.rounded(share) == published


def _one_real_and_dont_knows(dont_knows: int) -> list[ResponseRatings]:
    real = ResponseRatings(1, {"ka1": (YES, NO, NO), "ka2": (YES,)})
    return [real] + [
        ResponseRatings(n, {"ka1": (DK, DK, DK), "ka2": (YES,)}) for n in range(2, dont_knows + 2)
    ]


def test_one_real_answer_and_four_dont_knows_publish_nothing_of_the_area():
    responses = _one_real_and_dont_knows(4)
    assert scoring.cell(responses, 5, area="ka1") == scoring.Cell()
    assert scoring.cell(responses, 5, area="ka2").responses == 5  # the area they did answer


def test_a_cell_counts_its_real_answers_only():
    responses = _one_real_and_dont_knows(9)  # ten responses, still one real answer in ka1
    assert not scoring.cell(responses, 5, area="ka1").shown


def test_four_women_who_answered_nothing_and_one_who_did_publish_no_women():
    women = [ResponseRatings(n, {"ka1": (DK, DK)}, gender="woman") for n in range(1, 5)]
    women.append(ResponseRatings(5, {"ka1": (YES, NO)}, gender="woman"))
    free_text_only = ResponseRatings(6, {}, gender="woman")
    responses = women + [free_text_only] + arrivals("mmmmm")
    assert not scoring.cell(responses, 5, dimension="gender", group="woman").shown
    assert "woman" not in scoring.breakdown(responses, 5, "gender")


def test_a_figure_is_computed_over_its_published_responses_only():
    agreeing = arrivals("-----", ka1=(YES,))
    later = [ResponseRatings(n, {"ka1": (NO,)}) for n in range(6, 10)]
    shown = scoring.cell(agreeing + later, 5, area="ka1")
    assert (shown.responses, shown.agreement) == (5, Fraction(1))


@pytest.mark.parametrize(
    "code, shown",
    [
        ("wwwwwmmmmm", ["man", "woman"]),
        ("wwwwwmmmmmoo", ["man", "woman"]),  # the two others are in no figure yet
        ("wwwww-----", ["woman"]),  # the rest, together: 5
        ("wwwww----", ["woman"]),  # the total publishes the 5 women: the rest is in none
        ("-wwwwwmmmmm", []),  # the total's first 10 minus the groups: one person and one man
        ("wwwwwwmmmmm", []),  # the total's first 10 minus the groups: one woman and one man
        ("wwwwmmmm--", []),  # no group of 5
        ("wwwwmmmmm-", ["man"]),  # the rest beside the men: five
        ("wwwwwmmmmm---", ["man", "woman"]),  # the three are in no figure yet
        ("---wwwwwmmmmm", ["man", "woman"]),  # total minus groups: six people together
    ],
)
def test_breakdowns_show_only_groups_that_give_nobody_away(code, shown):
    assert sorted(scoring.breakdown(arrivals(code), 5, "gender")) == shown


def _random_responses(rng: random.Random, count: int) -> list[ResponseRatings]:
    return [
        ResponseRatings(
            n,
            {
                area: tuple(rng.choice([DK, DK, 1, 2, 3, 4, 5]) for _ in range(rng.randint(0, 3)))
                for area in ("ka1", "ka2")
            },
            age_band=rng.choice(["", "18-29", "30-44"]),
            gender=rng.choice(["", "woman", "man", "other"]),
        )
        for n in range(1, count + 1)
    ]


def _published_figures(responses, minimum) -> dict:
    cells = {area: scoring.cell(responses, minimum, area=area) for area in ("ka1", "ka2")}
    for dimension in scoring.DIMENSIONS:
        for group in ("18-29", "30-44", "woman", "man", "other"):
            cells[(dimension, group)] = scoring.cell(
                responses, minimum, dimension=dimension, group=group
            )
    cells["total"] = scoring.cell(responses, minimum)
    return cells


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("minimum", [2, 5])
def test_a_figure_moves_only_by_whole_batches_whatever_the_sequence(seed, minimum):
    responses = _random_responses(random.Random(seed), 60)
    before = _published_figures([], minimum)
    for arrived in range(1, len(responses) + 1):
        after = _published_figures(responses[:arrived], minimum)
        for key, cell in after.items():
            old = before[key]
            assert old.included <= cell.included, key  # nobody ever leaves a figure
            added = len(cell.included - old.included)
            assert added == 0 or added >= minimum, key
            if not added:
                assert cell.agreement == old.agreement, key
            assert cell.agreement is not None or not cell.shown
        before = after


@pytest.mark.parametrize("seed", range(20))
def test_a_breakdown_never_leaves_a_small_rest_beside_its_total(seed):
    responses = _random_responses(random.Random(seed), 80)
    for arrived in range(1, len(responses) + 1):
        shown = responses[:arrived]
        total = scoring.cell(shown, 5).included
        for dimension in scoring.DIMENSIONS:
            groups = scoring.breakdown(shown, 5, dimension)
            covered = frozenset().union(*(c.included for c in groups.values()))
            assert all(c.responses >= 5 for c in groups.values())
            assert not groups or len(total ^ covered) in (0, *range(5, arrived + 1))


def test_gap_is_staff_score_minus_agreement():
    assert scoring.gap(Fraction(3, 4), Fraction(1, 4)) == Fraction(1, 2)
    assert scoring.gap(None, Fraction(1, 4)) is None
