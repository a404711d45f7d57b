"""The comparison of a round of the "each first, then agree" kind: the spread of the members'
own answers per item and the agreement per key area, read once the comparison is open.

Nothing here is read before the coordinator opens the comparison: every function returns
nothing for a round whose comparison is not open, whoever asks.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from content.models import ChecklistItem, KeyArea

from . import scoring, selectors
from .models import Answer, IndividualAnswer, Round
from .snapshots import round_handbooks


@dataclass
class ItemSpread:
    item: ChecklistItem
    answers: list[IndividualAnswer]  # by the members' e-mail addresses
    agreed: Answer | None = None

    @property
    def counts(self) -> dict[str, int]:
        """How many members gave each answer ("yes", "partly", "no", "na")."""
        values = [a.value for a in self.answers]
        return {value: values.count(value) for value in scoring.VALUES}

    @property
    def dispersion(self) -> Fraction | None:
        return scoring.item_dispersion(a.value for a in self.answers)

    @property
    def disagreement(self) -> bool:
        return bool(self.dispersion)

    @property
    def agreed_value(self) -> str:
        return self.agreed.value if self.agreed else ""

    @property
    def given(self) -> list[IndividualAnswer]:
        return [a for a in self.answers if a.value or a.comment]

    @property
    def answered(self) -> bool:
        """At least one member gave an answer (a comment alone is not one)."""
        return any(a.value for a in self.answers)

    @property
    def needs_agreement(self) -> bool:
        """Someone answered it and the team has not recorded an agreed answer yet."""
        return self.answered and not self.agreed_value


@dataclass
class AreaAgreement:
    key_area: KeyArea
    agreement: scoring.Agreement
    items: list[ItemSpread] = field(default_factory=list)
    # The agreed answers counted by the one rule (`selectors.scored_area`, as the round page
    # and the summary count them); with `round_comparison(..., with_agreed=True)` only.
    result: scoring.AreaResult | None = None

    @property
    def answered(self) -> list[ItemSpread]:
        """The items some member answered, the widest disagreement first."""
        return sorted((s for s in self.items if s.answered), key=lambda s: -(s.dispersion or 0))

    @property
    def unanswered(self) -> list[ItemSpread]:
        """The items nobody answered, in the handbook's order."""
        return [s for s in self.items if not s.answered]

    @property
    def to_agree(self) -> int:
        return sum(1 for s in self.items if s.needs_agreement)


@dataclass
class Comparison:
    round: Round
    areas: list[AreaAgreement]
    overall: scoring.Agreement

    @property
    def items(self) -> list[ItemSpread]:
        """Every item, the widest disagreement first (then in the handbook's order)."""
        spreads = [spread for area in self.areas for spread in area.items]
        return sorted(spreads, key=lambda s: -(s.dispersion or 0))  # sorted() is stable

    @property
    def by_item(self) -> dict[int, ItemSpread]:
        return {spread.item.pk: spread for area in self.areas for spread in area.items}

    def most_disagreed(self, limit=5) -> list[ItemSpread]:
        return [s for s in self.items if s.disagreement][:limit]

    @property
    def by_key_area(self) -> dict[int, AreaAgreement]:
        return {area.key_area.pk: area for area in self.areas}

    @property
    def result(self) -> scoring.AreaResult | None:
        """The agreed answers of every key area counted together (`with_agreed` only)."""
        if any(area.result is None for area in self.areas):
            return None
        return scoring.combine(area.result for area in self.areas)

    @property
    def answered(self) -> int:
        return sum(len(area.answered) for area in self.areas)

    @property
    def to_agree(self) -> int:
        return sum(area.to_agree for area in self.areas)


def round_comparisons(rounds: list[Round]) -> dict[int, Comparison]:
    """The comparisons of those `rounds` whose comparison is open, by round id (one query for
    all of them, whatever the number of members)."""
    opened = [r for r in rounds if r.comparison_open]
    if not opened:
        return {}
    by_round: dict[int, dict[int, list[IndividualAnswer]]] = {r.pk: {} for r in opened}
    for answer in (
        IndividualAnswer.objects.filter(round__in=opened)
        .select_related("user")
        .order_by("user__first_name", "user__email", "pk")
    ):
        by_round[answer.round_id].setdefault(answer.item_id, []).append(answer)
    handbooks = round_handbooks(opened)
    return {r.pk: _comparison(r, handbooks[r.pk], by_round[r.pk]) for r in opened}


def round_comparison(round_: Round, *, with_agreed=False) -> Comparison | None:
    """The round's comparison, or None when it is not open; `with_agreed` adds each item's
    agreed answer and each key area's result from them (one more query)."""
    comparison = round_comparisons([round_]).get(round_.pk)
    if comparison is not None and with_agreed:
        agreed = {
            a.item_id: a for a in Answer.objects.filter(round=round_).select_related("updated_by")
        }
        org_type = round_.organisation.org_type
        for area in comparison.areas:
            stored = {}
            for spread in area.items:
                spread.agreed = agreed.get(spread.item.pk)
                if spread.agreed is not None:
                    stored[spread.item.pk] = (spread.agreed.value, spread.agreed.carried_over)
            area.result = selectors.scored_area(org_type, [s.item for s in area.items], stored)
    return comparison


def _comparison(round_: Round, handbook, answers: dict[int, list[IndividualAnswer]]) -> Comparison:
    spreads: dict[int, list[ItemSpread]] = {}
    for item in handbook.items():
        spread = ItemSpread(item=item, answers=answers.get(item.pk, []))
        spreads.setdefault(item.checklist.key_area_id, []).append(spread)
    areas = []
    for key_area in handbook.key_areas():
        items = spreads.get(key_area.pk, [])
        agreement = scoring.agreement([a.value for a in s.answers] for s in items)
        areas.append(AreaAgreement(key_area=key_area, agreement=agreement, items=items))
    return Comparison(
        round=round_,
        areas=areas,
        overall=scoring.combine_agreement(a.agreement for a in areas),
    )


@dataclass
class AgreementLine:
    key_area: KeyArea
    result: scoring.AreaResult
    agreement: scoring.Agreement


def agreement_beside_scores(summary, comparison: Comparison) -> list[AgreementLine]:
    """Each key area's score (from the agreed answers) beside the agreement of the individual
    answers, for the summary and the report."""
    by_area = comparison.by_key_area
    return [
        AgreementLine(area.key_area, area.result, by_area[area.key_area.pk].agreement)
        for area in summary.areas
        if area.key_area.pk in by_area
    ]


def agreement_document(comparison: Comparison | None) -> dict | None:
    """The agreement as plain data (the JSON export); None when there is no comparison."""
    if comparison is None:
        return None

    def figures(agreement: scoring.Agreement) -> dict:
        return {
            "items_compared": agreement.compared,
            "items_unanimous": agreement.unanimous,
            "share": float(agreement.share) if agreement.share is not None else None,
            "dispersion": (
                round(float(agreement.dispersion), 4) if agreement.dispersion is not None else None
            ),
        }

    return {
        **figures(comparison.overall),
        "key_areas": {area.key_area.key: figures(area.agreement) for area in comparison.areas},
    }


def individual_counts(comparison: Comparison | None, item: ChecklistItem) -> dict | None:
    """How many members gave each answer to `item` (the JSON export); None without a
    comparison."""
    if comparison is None:
        return None
    spread = comparison.by_item.get(item.pk)
    counts = spread.counts if spread else dict.fromkeys(scoring.VALUES, 0)
    return {value: counts[value] for value in scoring.VALUES}
