"""The handbook's checklist rule, as pure functions over plain values.

"How it works": when a practice meets every applicable checklist item, the organisation takes a
comprehensive approach in that area; when it does not meet some items, it should improve the
service; when it meets none, it should rethink the service following the handbook.
"""

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

YES, PARTLY, NO, NA = "yes", "partly", "no", "na"
VALUES = (YES, PARTLY, NO, NA)


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
    def score(self) -> Fraction | None:
        """(Yes + ½ Partly) / applicable items; None when nothing applies."""
        if self.applicable == 0:
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


def effective_value(
    stored: str | None,
    *,
    not_applicable_for: list[str],
    org_type: str,
    optional_checklist: bool,
) -> str | None:
    """What an item counts as for an organisation when it has no stored answer.

    Items an editor marked as typically not applicable to the organisation's type start as
    "not applicable"; items of a checklist meant for another audience (5.4's special checklist
    for local authorities) are optional: unanswered, they are not counted.
    """
    if stored:
        return stored
    if org_type in not_applicable_for or optional_checklist:
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
    """Change in percentage points between two rounds' scores (None when either has none)."""
    if previous is None or current.percent is None or previous.percent is None:
        return None
    return current.percent - previous.percent
