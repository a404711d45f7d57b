"""The handbook's checklist rule, as pure functions over plain values.

"How it works": when a practice meets every applicable checklist item, the organisation takes a
comprehensive approach in that area; when it does not meet some items, it should improve the
service; when it meets none, it should rethink the service following the handbook.

A verdict is shown only when every applicable item is answered; until then the area shows its
progress (answered / applicable). Score = (Yes + ½ Partly) / applicable items, likewise only
for a finished area: counting unanswered items as "No" would make a half-answered area look
bad, and a change against the previous round look like a decline.
"""

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

YES, PARTLY, NO, NA = "yes", "partly", "no", "na"
VALUES = (YES, PARTLY, NO, NA)


class Progress(StrEnum):
    NOT_STARTED = "not_started"  # no applicable item answered yet
    IN_PROGRESS = "in_progress"  # some answered, not all
    COMPLETE = "complete"  # every applicable item answered (or none applies)


class Verdict(StrEnum):
    COMPREHENSIVE = "comprehensive"  # every applicable item Yes
    IMPROVE = "improve"  # some applicable items not (fully) met
    RETHINK = "rethink"  # no applicable item met, not even partly
    NOT_APPLICABLE = "not_applicable"  # every item answered "not applicable"


@dataclass(frozen=True)
class AreaResult:
    total: int
    yes: int
    partly: int
    no: int
    not_applicable: int
    unanswered: int

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def answered(self) -> int:
        """Answered applicable items (the progress numerator)."""
        return self.yes + self.partly + self.no

    @property
    def complete(self) -> bool:
        return self.unanswered == 0

    @property
    def progress(self) -> Progress:
        if self.complete:
            return Progress.COMPLETE
        return Progress.IN_PROGRESS if self.answered else Progress.NOT_STARTED

    @property
    def score(self) -> Fraction | None:
        """(Yes + ½ Partly) / applicable items, once every applicable item is answered; None
        before that and when nothing applies."""
        if self.applicable == 0 or not self.complete:
            return None
        return Fraction(2 * self.yes + self.partly, 2 * self.applicable)

    @cached_property  # pages ask for it several times per key area
    def percent(self) -> int | None:
        score = self.score
        return None if score is None else round(score * 100)

    @property
    def verdict(self) -> Verdict | None:
        """Shown only when every applicable item is answered."""
        if not self.complete:
            return None
        if self.applicable == 0:
            return Verdict.NOT_APPLICABLE
        if self.yes == self.applicable:
            return Verdict.COMPREHENSIVE
        if self.yes == 0 and self.partly == 0:
            return Verdict.RETHINK
        return Verdict.IMPROVE


def area_result(values) -> AreaResult:
    """Tally one area's effective answers; `None` (or "") means unanswered."""
    values = list(values)
    unknown = {v for v in values if v not in (*VALUES, None, "")}
    if unknown:
        raise ValueError(f"unknown answer value(s): {sorted(unknown)}")
    return AreaResult(
        total=len(values),
        yes=values.count(YES),
        partly=values.count(PARTLY),
        no=values.count(NO),
        not_applicable=values.count(NA),
        unanswered=sum(1 for v in values if not v),
    )


def combine(results) -> AreaResult:
    """The overall result: all areas' items counted together."""
    results = list(results)
    return AreaResult(
        total=sum(r.total for r in results),
        yes=sum(r.yes for r in results),
        partly=sum(r.partly for r in results),
        no=sum(r.no for r in results),
        not_applicable=sum(r.not_applicable for r in results),
        unanswered=sum(r.unanswered for r in results),
    )


def optional_checklist(audience: str, org_type: str) -> bool:
    """Whether a checklist is optional for an organisation: it is meant for another kind of
    organisation (5.4's special checklist for local authorities)."""
    return audience not in ("all", org_type)


def counted_value(
    stored: str | None,
    *,
    carried_over: bool,
    audience: str,
    not_applicable_for: list[str],
    org_type: str,
) -> str | None:
    """What an item's answer counts as in every score, progress line, figure and export: the
    one rule, for an organisation of `org_type`.

    - The answer given (Yes, Partly, No, Not applicable), unless it was carried over from an
      earlier round and nobody has confirmed it yet: that counts as unanswered.
    - Unanswered, an item an editor marked as typically not applicable to the organisation's
      type counts as "not applicable" (a preset), and so does an item of a checklist meant for
      another audience (5.4's special checklist for local authorities: optional, not counted).
    - Otherwise None: unanswered.
    """
    if stored and not carried_over:
        return stored
    if org_type in not_applicable_for or optional_checklist(audience, org_type):
        return NA
    return None


class GeneralStatus(StrEnum):
    MET = "met"  # every key area it summarises takes a comprehensive approach
    PARTLY = "partly"  # some of them still need improving
    NOT_MET = "not_met"  # every one of them needs rethinking
    PENDING = "pending"  # a key area it summarises is not fully answered yet
    NOT_APPLICABLE = "not_applicable"


def general_status(verdicts) -> GeneralStatus:
    """A general-checklist item's status, derived from the verdicts of the areas it summarises."""
    verdicts = [v for v in verdicts if v != Verdict.NOT_APPLICABLE]
    if any(v is None for v in verdicts):
        return GeneralStatus.PENDING
    if not verdicts:
        return GeneralStatus.NOT_APPLICABLE
    if all(v == Verdict.COMPREHENSIVE for v in verdicts):
        return GeneralStatus.MET
    if all(v == Verdict.RETHINK for v in verdicts):
        return GeneralStatus.NOT_MET
    return GeneralStatus.PARTLY


def score_change(current: AreaResult, previous: AreaResult | None) -> int | None:
    """Change in percentage points between two rounds' scores; None unless both rounds have a
    score (every applicable item answered in both)."""
    if previous is None or current.percent is None or previous.percent is None:
        return None
    return current.percent - previous.percent


# --- agreement of individual answers ("each first, then agree") ---------------------------
#
# Each member's own answers to an item are compared; an answer left empty does not count.
# The distance between two answers: equal 0; on the scale No 0 – Partly ½ – Yes 1 the
# difference (Yes/Partly ½, Yes/No 1, Partly/No ½); "not applicable" against any other
# answer 1 (whether the item applies at all is the widest disagreement there is).
# An item's dispersion is the mean distance over all pairs of its answers: 0 when everyone
# gave the same answer, 1 when two people gave opposite ones. An item is compared when at
# least two members answered it, and unanimous when all its answers are equal.
# Agreement of an area (or the round) = unanimous items / compared items; its dispersion is the
# mean of its compared items' dispersions. Both are None when no item was compared.

_SCALE = {YES: Fraction(1), PARTLY: Fraction(1, 2), NO: Fraction(0)}


def answer_distance(first: str, second: str) -> Fraction:
    """How far apart two individual answers are (0 equal … 1 opposite or applicability)."""
    if first == second:
        return Fraction(0)
    if NA in (first, second):
        return Fraction(1)
    return abs(_SCALE[first] - _SCALE[second])


def item_dispersion(values) -> Fraction | None:
    """Mean distance over all pairs of an item's given answers; None with fewer than two."""
    given = [v for v in values if v]
    unknown = set(given) - set(VALUES)
    if unknown:
        raise ValueError(f"unknown answer value(s): {sorted(unknown)}")
    if len(given) < 2:
        return None
    pairs = [
        answer_distance(given[i], given[j])
        for i in range(len(given))
        for j in range(i + 1, len(given))
    ]
    return sum(pairs, Fraction(0)) / len(pairs)


@dataclass(frozen=True)
class Agreement:
    compared: int  # items that at least two members answered
    unanimous: int  # of those, items where every answer was the same
    dispersion_sum: Fraction  # the compared items' dispersions added up

    @property
    def share(self) -> Fraction | None:
        """Unanimous / compared items; None when nothing was compared."""
        return Fraction(self.unanimous, self.compared) if self.compared else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)

    @property
    def dispersion(self) -> Fraction | None:
        """Mean dispersion of the compared items (0 … 1); None when nothing was compared."""
        return self.dispersion_sum / self.compared if self.compared else None


def agreement(items_values) -> Agreement:
    """The agreement over items, each given as the list of its individual answers."""
    dispersions = [d for d in (item_dispersion(values) for values in items_values) if d is not None]
    return Agreement(
        compared=len(dispersions),
        unanimous=sum(1 for d in dispersions if d == 0),
        dispersion_sum=sum(dispersions, Fraction(0)),
    )


def combine_agreement(parts) -> Agreement:
    """The agreement over all items of several areas."""
    parts = list(parts)
    return Agreement(
        compared=sum(p.compared for p in parts),
        unanimous=sum(p.unanimous for p in parts),
        dispersion_sum=sum((p.dispersion_sum for p in parts), Fraction(0)),
    )
