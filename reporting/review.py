"""The coordinator's review: every round of an organisation side by side, in fixed queries."""

from dataclasses import dataclass

from assessments import scoring
from assessments.models import Action, ActionStatus, Answer, Round
from assessments.selectors import contributors_by_round, unnamed_contributors_by_round
from assessments.snapshots import CURRENT, lineage, replaced_keys, round_handbooks
from content.models import KeyArea
from content.selectors import item_lineage


@dataclass
class RoundReview:
    round: Round
    overall: scoring.AreaResult  # on the round's own content
    areas: list[tuple[KeyArea, scoring.AreaResult]]  # on the items present in every round
    contributors: list[str]
    unnamed: int = 0  # people who saved only answers of their own, not named yet

    @property
    def completion(self) -> int:
        applicable = self.overall.applicable
        return round(100 * self.overall.answered / applicable) if applicable else 100


@dataclass
class Review:
    rounds: list[RoundReview]  # oldest first, for trends
    key_areas: list[KeyArea]
    open_actions: list[Action]
    left_out: int = 0  # items not in every round: left out of the trend

    @property
    def overdue_actions(self) -> list[Action]:
        return [a for a in self.open_actions if a.is_overdue]

    def trend(self, key_area: KeyArea) -> list[tuple[Round, scoring.AreaResult]]:
        return [
            (r.round, next(res for area, res in r.areas if area.pk == key_area.pk))
            for r in self.rounds
        ]


def organisation_review(organisation) -> Review:
    """Every round with its own results (on the content it was answered on), and the trend
    per key area over the items present in every round (an item continuing an older one, by
    `replaces:`, counts as that one); how many items were left out of the trend is said."""
    rounds = list(Round.objects.filter(organisation=organisation).order_by("created_at", "pk"))
    areas = list(KeyArea.objects.current().order_by("number"))
    contents = round_handbooks(rounds)
    replaced = replaced_keys(contents.values(), item_lineage())
    stored: dict[tuple[int, int], tuple[str, bool]] = {
        (round_id, item_id): (value, carried_over)
        for round_id, item_id, value, carried_over in Answer.objects.filter(
            round__organisation=organisation
        ).values_list("round_id", "item_id", "value", "carried_over")
    }
    contributors = contributors_by_round([r.pk for r in rounds])
    unnamed = unnamed_contributors_by_round([r.pk for r in rounds])
    current = CURRENT.items()  # read once for every round on the current handbook
    items = {r.pk: contents[r.pk].items() if contents[r.pk].kept else current for r in rounds}
    lineages = {
        r.pk: {item.pk: lineage(item.key, replaced) for item in items[r.pk]} for r in rounds
    }
    every = set().union(*(set(found.values()) for found in lineages.values()))
    common = (
        set.intersection(*(set(found.values()) for found in lineages.values())) if rounds else set()
    )

    reviews = []
    for round_ in rounds:
        values = _values(round_, organisation.org_type, items[round_.pk], stored)
        own = [value for _item, value in values]
        by_area: dict[int, list] = {}
        for item, value in values:
            if lineages[round_.pk][item.pk] in common:
                by_area.setdefault(item.checklist.key_area_id, []).append(value)
        reviews.append(
            RoundReview(
                round=round_,
                overall=scoring.area_result(own),
                areas=[(area, scoring.area_result(by_area.get(area.pk, []))) for area in areas],
                contributors=contributors.get(round_.pk, []),
                unnamed=unnamed.get(round_.pk, 0),
            )
        )
    open_actions = list(
        Action.objects.filter(round__organisation=organisation)
        .exclude(status=ActionStatus.DONE)
        .select_related("owner", "item__checklist__key_area", "round")
    )
    return Review(
        rounds=reviews,
        key_areas=areas,
        open_actions=open_actions,
        left_out=len(every - common),
    )


def _values(round_, org_type: str, items, stored) -> list[tuple]:
    """Each item with what its answer in the round counts as."""
    found = []
    for item in items:
        value, carried_over = stored.get((round_.pk, item.pk), (None, False))
        found.append(
            (
                item,
                scoring.counted_value(
                    value,
                    carried_over=carried_over,
                    audience=item.checklist.audience,
                    not_applicable_for=item.not_applicable_for,
                    org_type=org_type,
                ),
            )
        )
    return found
