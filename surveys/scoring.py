"""The participants' view as numbers: pure functions over plain values, exact fractions.

- Agreement of a set of ratings = ("agree" + "strongly agree") / ratings other than "don't
  know". No such rating: no agreement (None), never 0 %.
- Results are shown only from `minimum` responses (SURVEY_MIN_RESPONSES), never per response.
- A breakdown (by age band or by gender) shows the groups of at least `minimum` responses, and
  only when the groups left out add up to none or to at least `minimum` as well: otherwise the
  total minus the shown groups would give away a small group's answers.
- A gap is where the staff's score is above the participants' agreement; the larger it is,
  the earlier it is listed.
"""

from collections.abc import Iterable
from fractions import Fraction

DONT_KNOW = 0
AGREEING = (4, 5)


def agreement(values: Iterable[int]) -> Fraction | None:
    known = [v for v in values if v != DONT_KNOW]
    if not known:
        return None
    return Fraction(sum(1 for v in known if v in AGREEING), len(known))


def percent(share: Fraction | None) -> int | None:
    return None if share is None else round(share * 100)


def is_shown(responses: int, minimum: int) -> bool:
    return responses >= minimum


def shown_groups(counts: dict[str, int], minimum: int) -> list[str]:
    """The groups (keys of `counts`, blank = prefer not to say) a breakdown may show."""
    shown = [group for group, n in counts.items() if group and n >= minimum]
    rest = sum(n for group, n in counts.items() if group not in shown)
    if 0 < rest < minimum or not shown:
        return []
    return shown


def gap(staff_score: Fraction | None, participants: Fraction | None) -> Fraction | None:
    """How much better the staff see it than the participants (positive), or None."""
    if staff_score is None or participants is None:
        return None
    return staff_score - participants
