"""The participants' view as numbers: pure functions over plain values, exact fractions.

Agreement
- Agreement of a set of ratings = ("agree" + "strongly agree") / ratings other than "don't
  know". No such rating: no agreement (None), never 0 %.

Published cells: what anyone may see of the participants' ratings
- A figure is about a *cell*: one key area and everyone, or all the survey's statements and one
  group of a breakdown (an age band, a gender). A response is a *real answer* in a cell when it
  belongs to the group and rates at least one of the cell's statements other than "don't know".
  "Don't know", no rating and a free text alone are not real answers.
- Responses are only ever added: never changed, reordered or deleted; their ids grow with
  arrival. A cell's figure is computed over its *published* responses: the first
  floor(n / k) * k of its n real answers in order of arrival (k = SURVEY_MIN_RESPONSES). Below k
  there are none, and the cell is suppressed (no count, no share).
- Hence a published figure stands for at least k people, and between any two moments a cell's
  published responses stay the same or grow by whole batches of k: comparing two exports taken
  at any times, across any submissions, closes and reopens (the rule looks at neither time nor
  state), gives the figures of k or more people together, never one person's.
- A breakdown shows its groups of at least k only when the published responses of the groups
  shown and those of its total (everyone, all statements) differ by none or by at least k
  people; otherwise the total minus the groups would give those few away. "Prefer not to say"
  is never a group of its own.
- Shares are published rounded (whole percents; two decimals in the JSON), never as fractions.
- Free texts follow the same steps with their own minimum t (SURVEY_MIN_FREE_TEXTS): the first
  floor(m / t) * t of the survey's m free texts in order of arrival, less the hidden ones
  (hiding one never brings in another), shown in random order.
- Not covered: setting the batch by which one figure moved against the batch by which another
  one moved at the same time can isolate the few responses the two batches do not share; the
  rounded shares, over ratings whose number is not published, blur such a difference.

A gap is where the staff's score is above the participants' agreement; the larger it is, the
earlier it is listed.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DONT_KNOW = 0
AGREEING = (4, 5)
DIMENSIONS = ("age_band", "gender")


def agreement(values: Iterable[int]) -> Fraction | None:
    known = [v for v in values if v != DONT_KNOW]
    if not known:
        return None
    return Fraction(sum(1 for v in known if v in AGREEING), len(known))


def percent(share: Fraction | None) -> int | None:
    return None if share is None else round(share * 100)


def rounded(share: Fraction | None) -> float | None:
    """A share as the JSON publishes it: the whole percent, as a fraction of 1."""
    return None if share is None else percent(share) / 100


def is_real(values: Iterable[int]) -> bool:
    return any(v != DONT_KNOW for v in values)


def published[T](arrivals: Sequence[T], minimum: int) -> list[T]:
    """The first floor(n / minimum) * minimum of `arrivals` (in order of arrival)."""
    return list(arrivals[: len(arrivals) // minimum * minimum])


@dataclass(frozen=True)
class ResponseRatings:
    """One response as plain data: `id` grows with arrival, `ratings` maps a key area's key to
    the response's values there; blank age band or gender: prefer not to say."""

    id: int
    ratings: Mapping[str, Sequence[int]]
    age_band: str = ""
    gender: str = ""

    def values(self, area: str | None = None) -> list[int]:
        if area is not None:
            return list(self.ratings.get(area, ()))
        return [v for values in self.ratings.values() for v in values]


@dataclass(frozen=True)
class Cell:
    included: frozenset[int] = field(default_factory=frozenset)  # published ids; none: hidden
    agreement: Fraction | None = None

    @property
    def responses(self) -> int:
        return len(self.included)

    @property
    def shown(self) -> bool:
        return bool(self.included)


def cell(
    responses: Iterable[ResponseRatings],
    minimum: int,
    *,
    area: str | None = None,
    dimension: str | None = None,
    group: str = "",
) -> Cell:
    """The published figure of a cell: `area` (None: all statements) for everyone, or for the
    responses whose `dimension` ("age_band" or "gender") is `group`."""
    real = [
        r
        for r in sorted(responses, key=lambda r: r.id)
        if (dimension is None or getattr(r, dimension) == group) and is_real(r.values(area))
    ]
    included = published(real, minimum)
    if not included:
        return Cell()
    return Cell(
        frozenset(r.id for r in included), agreement(v for r in included for v in r.values(area))
    )


def breakdown(responses: Sequence[ResponseRatings], minimum: int, dimension: str) -> dict:
    """The groups (values of `dimension`) a breakdown may show, each with its cell; {} when it
    may show none."""
    total = cell(responses, minimum)
    shown = {}
    for group in sorted({getattr(r, dimension) for r in responses}):
        if group:
            group_cell = cell(responses, minimum, dimension=dimension, group=group)
            if group_cell.shown:
                shown[group] = group_cell
    covered = frozenset().union(*(c.included for c in shown.values()))
    rest = len(total.included ^ covered)
    if not shown or 0 < rest < minimum:
        return {}
    return shown


def gap(staff_score: Fraction | None, participants: Fraction | None) -> Fraction | None:
    """How much better the staff see it than the participants (positive), or None."""
    if staff_score is None or participants is None:
        return None
    return staff_score - participants


# A difference between the staff's score and the participants' agreement reads "about the same"
# under 10 percentage points, "somewhat" higher from 10 and "much" higher from 25 on: the two
# measure different things (items met, people agreeing), so only a clear difference means much.
GAP_SOME, GAP_LARGE = 10, 25


def gap_size(points: int | None) -> str | None:
    """How large a difference of `points` percentage points reads, either way: "same", "some" or
    "large"; None without a difference."""
    if points is None:
        return None
    if abs(points) >= GAP_LARGE:
        return "large"
    return "some" if abs(points) >= GAP_SOME else "same"
