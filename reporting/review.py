"""The coordinator's review: every round of an organisation side by side, in fixed queries."""

from dataclasses import dataclass

from assessments import scoring
from assessments.models import Action, ActionStatus, Answer, Round
from assessments.selectors import contributors_by_round, unnamed_contributors_by_round
from content.models import ChecklistItem, KeyArea


@dataclass
class RoundReview:
    round: Round
    overall: scoring.AreaResult
    areas: list[tuple[KeyArea, scoring.AreaResult]]
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

    @property
    def overdue_actions(self) -> list[Action]:
        return [a for a in self.open_actions if a.is_overdue]

    def trend(self, key_area: KeyArea) -> list[tuple[Round, scoring.AreaResult]]:
        return [
            (r.round, next(res for area, res in r.areas if area.pk == key_area.pk))
            for r in self.rounds
        ]


def organisation_review(organisation) -> Review:
    rounds = list(Round.objects.filter(organisation=organisation).order_by("created_at", "pk"))
    areas = list(KeyArea.objects.current().order_by("number"))
    items = list(
        ChecklistItem.objects.current()
        .filter(checklist__retired=False)
        .values("pk", "not_applicable_for", "checklist__audience", "checklist__key_area_id")
    )
    stored: dict[tuple[int, int], tuple[str, bool]] = {
        (round_id, item_id): (value, carried_over)
        for round_id, item_id, value, carried_over in Answer.objects.filter(
            round__organisation=organisation
        ).values_list("round_id", "item_id", "value", "carried_over")
    }
    contributors = contributors_by_round([r.pk for r in rounds])
    unnamed = unnamed_contributors_by_round([r.pk for r in rounds])

    org_type = organisation.org_type
    reviews = []
    for round_ in rounds:
        by_area: dict[int, list] = {}
        for item in items:
            value, carried_over = stored.get((round_.pk, item["pk"]), (None, False))
            by_area.setdefault(item["checklist__key_area_id"], []).append(
                scoring.counted_value(
                    value,
                    carried_over=carried_over,
                    audience=item["checklist__audience"],
                    not_applicable_for=item["not_applicable_for"],
                    org_type=org_type,
                )
            )
        results = [(area, scoring.area_result(by_area.get(area.pk, []))) for area in areas]
        reviews.append(
            RoundReview(
                round=round_,
                overall=scoring.combine(r for _, r in results),
                areas=results,
                contributors=contributors.get(round_.pk, []),
                unnamed=unnamed.get(round_.pk, 0),
            )
        )
    open_actions = list(
        Action.objects.filter(round__organisation=organisation)
        .exclude(status=ActionStatus.DONE)
        .select_related("owner", "item__checklist__key_area", "round")
    )
    return Review(rounds=reviews, key_areas=areas, open_actions=open_actions)
