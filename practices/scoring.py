"""The assessment table's scoring and verdict, as pure functions over plain values.

Each indicator is rated 0 (not in place), 1 (partly), 2 (largely), 3 (fully) or "na" (not
applicable). Domain score = points / (3 × applicable indicators); overall score = points /
(3 × all applicable indicators). Verdicts, with the thresholds from settings:

- incomplete: some indicator is not rated yet;
- good practice: overall ≥ PRACTICE_GOOD_OVERALL and every domain ≥ PRACTICE_DOMAIN_MINIMUM;
- promising practice: overall ≥ PRACTICE_PROMISING_OVERALL, but the gate above is not met;
- emerging practice: otherwise.

Where the brief is silent:

- A domain whose indicators are all "not applicable" has no score and does not meet the
  domain minimum: a good practice shows its quality in all five domains, and marking a weak
  domain "not applicable" must not open the gate. Such a practice can still be promising.
- A practice with no applicable indicator at all has no overall score and is emerging.

All arithmetic is exact (fractions), so 2/3 is 2/3 and 70 % is 7/10.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

NA = "na"
POINTS = {"0": 0, "1": 1, "2": 2, "3": 3}
VALUES = (*POINTS, NA)
MAX_POINTS = 3


class Verdict(StrEnum):
    GOOD = "good"
    PROMISING = "promising"
    EMERGING = "emerging"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Thresholds:
    good_overall: Fraction
    domain_minimum: Fraction
    promising_overall: Fraction


def as_fraction(value) -> Fraction:
    """A threshold from settings, exactly: Fraction(2, 3), "2/3", 0.7 (read as "0.7") or 70 %."""
    if isinstance(value, float):
        value = repr(value)  # Fraction(0.7) would be the binary approximation, not 7/10
    fraction = Fraction(value)
    if fraction > 1:
        fraction /= 100  # a percentage
    if not 0 <= fraction <= 1:
        raise ValueError(f"a threshold must be between 0 and 1, not {value!r}")
    return fraction


def thresholds_from_settings() -> Thresholds:
    from django.conf import settings

    return Thresholds(
        good_overall=as_fraction(getattr(settings, "PRACTICE_GOOD_OVERALL", "0.7")),
        domain_minimum=as_fraction(getattr(settings, "PRACTICE_DOMAIN_MINIMUM", "2/3")),
        promising_overall=as_fraction(getattr(settings, "PRACTICE_PROMISING_OVERALL", "0.5")),
    )


@dataclass(frozen=True)
class Tally:
    """The ratings of a group of indicators (a domain, or all of them)."""

    total: int
    unrated: int
    not_applicable: int
    points: int
    counts: dict[str, int] = field(default_factory=dict)  # per value "0".."3"

    @property
    def rated(self) -> int:
        return self.total - self.unrated

    @property
    def applicable(self) -> int:
        """Rated indicators that apply (unrated ones are not counted yet)."""
        return self.rated - self.not_applicable

    @property
    def complete(self) -> bool:
        return self.unrated == 0

    @property
    def max_points(self) -> int:
        return MAX_POINTS * self.applicable

    @property
    def score(self) -> Fraction | None:
        """points / (3 × applicable); None when nothing (rated) applies."""
        if self.applicable == 0:
            return None
        return Fraction(self.points, MAX_POINTS * self.applicable)

    def points_needed(self, threshold: Fraction) -> int | None:
        """How many more points would bring the score to `threshold`; None without a score."""
        if self.applicable == 0:
            return None
        return max(0, math.ceil(threshold * MAX_POINTS * self.applicable) - self.points)


def tally(values) -> Tally:
    """Tally ratings; None or "" means not rated. Unknown values are a programming error."""
    values = list(values)
    unknown = {v for v in values if v not in (*VALUES, None, "")}
    if unknown:
        raise ValueError(f"unknown rating value(s): {sorted(unknown)}")
    return Tally(
        total=len(values),
        unrated=sum(1 for v in values if not v),
        not_applicable=values.count(NA),
        points=sum(POINTS[v] for v in values if v in POINTS),
        counts={v: values.count(v) for v in POINTS},
    )


def combine(tallies) -> Tally:
    tallies = list(tallies)
    return Tally(
        total=sum(t.total for t in tallies),
        unrated=sum(t.unrated for t in tallies),
        not_applicable=sum(t.not_applicable for t in tallies),
        points=sum(t.points for t in tallies),
        counts={v: sum(t.counts.get(v, 0) for t in tallies) for v in POINTS},
    )


def meets_minimum(domain: Tally, thresholds: Thresholds) -> bool:
    """A domain passes the gate with a score of at least the minimum (and some score)."""
    return domain.score is not None and domain.score >= thresholds.domain_minimum


def verdict(domains: dict[str, Tally], thresholds: Thresholds) -> Verdict:
    """The practice's verdict from its per-domain tallies (see the module docstring)."""
    if any(not d.complete for d in domains.values()):
        return Verdict.INCOMPLETE
    overall = combine(domains.values()).score
    if overall is None:
        return Verdict.EMERGING
    if overall >= thresholds.good_overall and all(
        meets_minimum(d, thresholds) for d in domains.values()
    ):
        return Verdict.GOOD
    if overall >= thresholds.promising_overall:
        return Verdict.PROMISING
    return Verdict.EMERGING


@dataclass(frozen=True)
class Result:
    domains: dict[str, Tally]
    overall: Tally
    verdict: Verdict
    thresholds: Thresholds

    @property
    def short_domains(self) -> list[str]:
        """Keys of the (complete) domains below the minimum, in order."""
        return [
            key
            for key, domain in self.domains.items()
            if domain.complete and not meets_minimum(domain, self.thresholds)
        ]

    @property
    def overall_points_needed(self) -> int | None:
        """More points needed for the good-practice overall score (None without a score)."""
        return self.overall.points_needed(self.thresholds.good_overall)


def result(values_by_domain: dict[str, list], thresholds: Thresholds) -> Result:
    """Scores and verdict of a practice from its rating values grouped by domain key."""
    domains = {key: tally(values) for key, values in values_by_domain.items()}
    return Result(
        domains=domains,
        overall=combine(domains.values()),
        verdict=verdict(domains, thresholds),
        thresholds=thresholds,
    )


def lowest_rated(rated: list[tuple[str, str | None]], *, limit: int = 3) -> list[str]:
    """Keys of the applicable indicators with the lowest ratings (below 3), lowest first.

    `rated` is [(indicator key, value)] in the handbook's order; ties keep that order.
    """
    candidates = [(POINTS[v], i, key) for i, (key, v) in enumerate(rated) if v in POINTS]
    candidates = [c for c in candidates if c[0] < MAX_POINTS]
    return [key for _points, _i, key in sorted(candidates)[:limit]]


def as_percent(score: Fraction | None, *, places: int = 1) -> Decimal | None:
    """A score as a percentage rounded half up, for display (decisions use the fraction):
    2/3 → 66.7, 7/10 → 70."""
    if score is None:
        return None
    scaled = score * 100 * 10**places
    value = Decimal(math.floor(scaled + Fraction(1, 2))).scaleb(-places)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
