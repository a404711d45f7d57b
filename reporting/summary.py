"""The automatic summary of a round: compiled from answers, notes, actions and the handbook.

`round_summary` reads everything it needs in a fixed number of queries and assembles plain
objects; the rules it applies live in `scoring`.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from assessments import scoring
from assessments.models import Action, ActionStatus, Answer, Evidence, Note, Round
from assessments.selectors import answer_counted_value, previous_closed_of
from content.cache import checklist_items_of_area, per_revision, revision
from content.models import (
    ChecklistItem,
    GeneralChecklistItem,
    GoodPractice,
    KeyArea,
    SuccessFactor,
)

GAP_VALUES = (scoring.NO, scoring.PARTLY)
TOP_GAPS = 5  # the report's overview names this many gaps, ranked by scoring.gap_rank


@dataclass
class ItemLine:
    item: ChecklistItem
    value: str | None
    answer: Answer | None
    optional: bool
    previous_value: str | None = None
    actions: list = field(default_factory=list)
    previous_actions: list = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.value in GAP_VALUES

    @property
    def pending(self) -> bool:
        """Carried over from an earlier round and not yet confirmed: counted as unanswered."""
        return bool(self.answer and self.answer.carried_over)

    @property
    def changed(self) -> bool:
        """Answered differently than in the previous round (an answer still waiting to be
        confirmed has not changed, nor been answered)."""
        return self.previous_value != self.value and not self.pending

    @property
    def comment(self) -> str:
        return self.answer.comment if self.answer else ""


@dataclass
class AreaSummary:
    key_area: KeyArea
    result: scoring.AreaResult
    lines: list[ItemLine]
    note: Note | None
    success_factors: list[SuccessFactor]
    previous_result: scoring.AreaResult | None = None

    @property
    def gaps(self) -> list[ItemLine]:
        return [line for line in self.lines if line.is_gap]

    @property
    def evidence_lines(self) -> list[ItemLine]:
        """The items with evidence attached, in reading order."""
        return [line for line in self.lines if line.evidence]

    @property
    def changed_lines(self) -> list[ItemLine]:
        return [line for line in self.lines if line.changed]

    @property
    def score_change(self) -> int | None:
        return scoring.score_change(self.result, self.previous_result)


@dataclass
class GeneralLine:
    item: GeneralChecklistItem
    areas: list[KeyArea]
    status: scoring.GeneralStatus


@dataclass
class Summary:
    round: Round
    previous_round: Round | None
    areas: list[AreaSummary]
    overall: scoring.AreaResult
    previous_overall: scoring.AreaResult | None
    general: list[GeneralLine]
    actions: list[Action]
    content_revision: int  # of the handbook part, to key what is cached of it

    @property
    def has_answers(self) -> bool:
        return any(line.answer and not line.pending for area in self.areas for line in area.lines)

    @property
    def gap_count(self) -> int:
        return sum(len(area.gaps) for area in self.areas)

    @property
    def overall_change(self) -> int | None:
        """The change of the overall score against the previous round, in percentage points;
        None unless both rounds are finished."""
        return scoring.score_change(self.overall, self.previous_overall)

    @property
    def ranked_gaps(self) -> list[tuple[KeyArea, ItemLine]]:
        """Every gap, the largest first (`scoring.gap_rank`: "No" before "Partly", then the
        key areas with the lowest score, then the handbook's order)."""
        ranked = [
            (
                scoring.gap_rank(line.value, area.result, area.key_area.number, position),
                area.key_area,
                line,
            )
            for area in self.areas
            for position, line in enumerate(area.lines)
            if line.is_gap
        ]
        ranked.sort(key=lambda gap: gap[0])
        return [(key_area, line) for _rank, key_area, line in ranked]

    @property
    def top_gaps(self) -> list[tuple[KeyArea, ItemLine]]:
        """The largest gaps, as many as the report's overview names."""
        return self.ranked_gaps[:TOP_GAPS]

    @property
    def open_actions(self) -> list[Action]:
        """This round's actions not done yet, soonest due first."""
        return [a for a in self.actions if a.status != ActionStatus.DONE]


def round_summary(round_: Round, *, with_authors: bool = False) -> Summary:
    """Everything the summary page and the PDF report show, in a constant number of queries;
    `with_authors` reads who last changed each answer too (the exports name them)."""
    return round_summaries(round_.organisation, [round_], with_authors=with_authors)[0]


@dataclass
class Handbook:
    """What every summary shows the same: the current key areas (with their success factors
    and good practice), their checklist items in reading order, the general checklist; read at
    content revision `revision` (or later)."""

    revision: int
    areas: list[KeyArea]
    items_by_area: dict[int, list[ChecklistItem]]
    general_items: list[GeneralChecklistItem]


def _read_handbook() -> Handbook:
    current = revision()  # before the reads: what they return is never older than it
    areas = list(
        KeyArea.objects.current()
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "success_factors",
                queryset=SuccessFactor.objects.current()
                .select_related("key_area")
                .prefetch_related(
                    Prefetch(
                        "good_practices",
                        queryset=GoodPractice.objects.current()
                        .filter(is_published=True)
                        .select_related("key_area"),
                    )
                ),
            )
        )
    )
    return Handbook(
        revision=current,
        areas=areas,
        items_by_area={area.pk: checklist_items_of_area(area.pk) for area in areas},
        general_items=list(GeneralChecklistItem.objects.current()),
    )


_handbook = per_revision(_read_handbook)


def round_summaries(
    organisation, rounds: list[Round], *, with_authors: bool = False
) -> list[Summary]:
    """The summaries of rounds of one organisation, in a constant number of queries however
    many rounds there are (the organisation's data export takes all of them), with each item's
    evidence. The handbook's part is read once per content revision. `with_authors`: each
    answer's `updated_by` too."""
    handbook = _handbook()
    every_round = list(Round.objects.filter(organisation=organisation))
    previous = {r.pk: previous_closed_of(r, every_round) for r in rounds}
    wanted = {r.pk for r in rounds} | {p.pk for p in previous.values() if p}
    answers: dict[int, dict[int, Answer]] = {pk: {} for pk in wanted}
    stored = Answer.objects.filter(round_id__in=wanted)
    for answer in stored.select_related("updated_by") if with_authors else stored:
        answers[answer.round_id][answer.item_id] = answer
    notes: dict[int, dict[int, Note]] = {r.pk: {} for r in rounds}
    for note in Note.objects.filter(round__in=rounds):
        notes[note.round_id][note.key_area_id] = note
    actions: dict[int, list[Action]] = {pk: [] for pk in wanted}
    for action in Action.objects.filter(round_id__in=wanted).select_related(
        "owner", "item__checklist__key_area"
    ):
        actions[action.round_id].append(action)
    evidence: dict[int, dict[int, list[Evidence]]] = {r.pk: {} for r in rounds}
    for found in Evidence.objects.filter(round__in=rounds):
        evidence[found.round_id].setdefault(found.item_id, []).append(found)
    return [
        _summary(
            round_,
            previous[round_.pk],
            handbook,
            answers,
            notes[round_.pk],
            actions,
            evidence[round_.pk],
        )
        for round_ in rounds
    ]


def _summary(
    round_, previous, handbook: Handbook, answers, notes, actions_by_round, evidence
) -> Summary:
    actions = actions_by_round[round_.pk] + (actions_by_round[previous.pk] if previous else [])
    lines_by_area = _lines_by_area(round_, previous, handbook, answers, actions)
    for lines in lines_by_area.values():
        for line in lines:
            line.evidence = evidence.get(line.item.pk, [])
    summaries = [
        _area_summary(area, lines_by_area[area.pk], notes.get(area.pk), previous)
        for area in handbook.areas
    ]
    return Summary(
        round=round_,
        previous_round=previous,
        areas=summaries,
        overall=scoring.combine(s.result for s in summaries),
        previous_overall=(
            scoring.combine(s.previous_result for s in summaries) if previous else None
        ),
        general=_general_lines(handbook.general_items, summaries),
        actions=[a for a in actions if a.round_id == round_.pk],
        content_revision=handbook.revision,
    )


def _lines_by_area(round_, previous, handbook, answers, actions) -> dict[int, list[ItemLine]]:
    """One line per current checklist item, grouped by key area id, in reading order."""
    round_answers = answers[round_.pk]
    previous_answers = answers[previous.pk] if previous else {}
    actions_by_item: dict[int, list[Action]] = {}
    for action in actions:
        actions_by_item.setdefault(action.item_id, []).append(action)

    return {
        area_pk: [
            _item_line(
                round_,
                previous,
                item,
                round_answers.get(item.pk),
                previous_answers.get(item.pk),
                actions_by_item.get(item.pk, []),
            )
            for item in items
        ]
        for area_pk, items in handbook.items_by_area.items()
    }


def _item_line(round_, previous, item, answer, previous_answer, actions) -> ItemLine:
    """An item's effective value in this round and, when there is one, in the previous closed
    round (judged by this round's organisation type); its actions split by round."""
    org_type = round_.organisation.org_type
    line = ItemLine(
        item=item,
        value=answer_counted_value(item, org_type, answer),
        answer=answer,
        optional=scoring.optional_checklist(item.checklist.audience, org_type),
    )
    if previous:
        line.previous_value = answer_counted_value(item, org_type, previous_answer)
    for action in actions:
        target = line.actions if action.round_id == round_.pk else line.previous_actions
        target.append(action)
    return line


def _area_summary(area, lines, note, previous) -> AreaSummary:
    return AreaSummary(
        key_area=area,
        result=scoring.area_result(line.value for line in lines),
        lines=lines,
        note=note,
        success_factors=list(area.success_factors.all()),
        previous_result=(
            scoring.area_result(line.previous_value for line in lines) if previous else None
        ),
    )


def _general_lines(general_items, summaries: list[AreaSummary]) -> list[GeneralLine]:
    """Each general checklist item with the key areas it maps to and their combined status."""
    by_key = {s.key_area.key: s for s in summaries}
    general = []
    for general_item in general_items:
        mapped = [by_key[k] for k in general_item.key_areas if k in by_key]
        general.append(
            GeneralLine(
                item=general_item,
                areas=[s.key_area for s in mapped],
                status=scoring.general_status(s.result.verdict for s in mapped),
            )
        )
    return general
