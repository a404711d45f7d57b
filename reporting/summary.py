"""The automatic summary of a round: compiled from answers, notes, actions and the handbook.

`round_summary` reads everything it needs in a fixed number of queries and assembles plain
objects; the rules it applies live in `scoring`.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from assessments import scoring
from assessments.models import Action, ActionStatus, Answer, Evidence, Note, Round
from assessments.selectors import answer_counted_value, previous_closed_of
from assessments.snapshots import lineage, replaced_keys, round_handbooks
from content.cache import checklist_items_of_area, per_revision, revision
from content.models import (
    ChecklistItem,
    GeneralChecklistItem,
    GoodPractice,
    KeyArea,
    SuccessFactor,
)
from content.selectors import item_lineage

GAP_VALUES = (scoring.NO, scoring.PARTLY)
TOP_GAPS = 5  # the report's overview names this many gaps, ranked by scoring.gap_rank


@dataclass
class ItemLine:
    item: ChecklistItem
    value: str | None
    answer: Answer | None
    optional: bool
    previous_value: str | None = None
    compared: bool = False  # the item (or the one it continues) is in the previous round too
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
        confirmed has not changed, nor been answered; an item new since then is not compared)."""
        return self.compared and self.previous_value != self.value and not self.pending

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
    previous_result: scoring.AreaResult | None = None  # of the items in both rounds
    compared_result: scoring.AreaResult | None = None  # this round's, of the same items

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
        return scoring.score_change(self.compared_result, self.previous_result)


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
    # Answers to items that are no longer in the handbook: listed, never counted.
    retired_lines: list[ItemLine] = field(default_factory=list)
    left_out: int = 0  # items not in both this round and the previous one: not compared

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
        if self.previous_overall is None:
            return None
        compared = scoring.combine(area.compared_result for area in self.areas)
        return scoring.score_change(compared, self.previous_overall)

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
    and good practice), their checklist items in reading order, the general checklist, the
    items that left the handbook and which items continue older ones; read at content
    revision `revision` (or later)."""

    revision: int
    areas: list[KeyArea]
    items_by_area: dict[int, list[ChecklistItem]]
    general_items: list[GeneralChecklistItem]
    factors_by_area: dict[int, list[SuccessFactor]]
    retired: dict[int, ChecklistItem]  # by id
    replaced: dict[str, str]  # item key: the key of the item it continues


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
    gone = (
        ChecklistItem.objects.filter(
            Q(retired=True) | Q(checklist__retired=True) | Q(checklist__key_area__retired=True)
        )
        .select_related("checklist__key_area")
        .order_by("checklist__key_area__number", "checklist__order", "order", "key")
    )
    retired = {item.pk: item for item in gone}
    replaced = item_lineage()
    return Handbook(
        revision=current,
        areas=areas,
        items_by_area={area.pk: checklist_items_of_area(area.pk) for area in areas},
        general_items=list(GeneralChecklistItem.objects.current()),
        factors_by_area={area.pk: list(area.success_factors.all()) for area in areas},
        retired=retired,
        replaced=replaced,
    )


_handbook = per_revision(_read_handbook)


def round_summaries(
    organisation, rounds: list[Round], *, with_authors: bool = False
) -> list[Summary]:
    """The summaries of rounds of one organisation, in a constant number of queries however
    many rounds there are (the organisation's data export takes all of them), with each item's
    evidence. The handbook's part is read once per content revision; each round shows the
    content it was answered on (`round_handbooks`). `with_authors`: each answer's `updated_by`
    too."""
    handbook = _handbook()
    every_round = list(Round.objects.filter(organisation=organisation))
    previous = {r.pk: previous_closed_of(r, every_round) for r in rounds}
    wanted = {r.pk for r in rounds} | {p.pk for p in previous.values() if p}
    contents = round_handbooks([*rounds, *(p for p in previous.values() if p)])
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
            _Rounds(round_, previous[round_.pk], contents, handbook),
            answers,
            notes[round_.pk],
            actions,
            evidence[round_.pk],
        )
        for round_ in rounds
    ]


@dataclass
class _Rounds:
    """A round, the round it is compared with, and the content each was answered on."""

    round: Round
    previous: Round | None
    contents: dict
    handbook: Handbook

    @property
    def content(self):
        return self.contents[self.round.pk]

    def areas(self) -> list[KeyArea]:
        """The round's key areas: the handbook's (with their success factors) while it follows
        the current handbook, else those it was answered on."""
        return self.handbook.areas if not self.content.kept else self.content.key_areas()

    def items_of(self, area: KeyArea) -> list[ChecklistItem]:
        if not self.content.kept:
            return self.handbook.items_by_area.get(area.pk, [])
        return self.content.items_of(area.pk)

    def retired(self) -> dict[int, ChecklistItem]:
        return self.content.retired if self.content.kept else self.handbook.retired

    def previous_ids(self) -> dict[str, int]:
        """The previous round's items by the key of the oldest item each continues."""
        if self.previous is None:
            return {}
        replaced = self.replaced
        return {
            lineage(item.key, replaced): item.pk for item in self.contents[self.previous.pk].items()
        }

    @property
    def replaced(self) -> dict[str, str]:
        kept = [
            c for c in (self.content, self.contents.get(getattr(self.previous, "pk", None))) if c
        ]
        return replaced_keys(kept, self.handbook.replaced)


def _summary(rounds: _Rounds, answers, notes, actions_by_round, evidence) -> Summary:
    round_, previous = rounds.round, rounds.previous
    actions = actions_by_round[round_.pk] + (actions_by_round[previous.pk] if previous else [])
    areas = rounds.areas()
    lines_by_area = _lines_by_area(rounds, areas, answers, actions)
    for lines in lines_by_area.values():
        for line in lines:
            line.evidence = evidence.get(line.item.pk, [])
    summaries = [
        _area_summary(
            area,
            lines_by_area[area.pk],
            notes.get(area.pk),
            previous,
            rounds.handbook.factors_by_area.get(area.pk, []),
        )
        for area in areas
    ]
    compared = sum(1 for lines in lines_by_area.values() for line in lines if line.compared)
    return Summary(
        round=round_,
        previous_round=previous,
        areas=summaries,
        overall=scoring.combine(s.result for s in summaries),
        previous_overall=(
            scoring.combine(s.previous_result for s in summaries) if previous else None
        ),
        general=_general_lines(rounds.handbook.general_items, summaries),
        actions=[a for a in actions if a.round_id == round_.pk],
        content_revision=rounds.handbook.revision,
        retired_lines=_retired_lines(round_, rounds.retired(), answers[round_.pk]),
        left_out=_left_out(rounds, lines_by_area, compared),
    )


def _left_out(rounds: _Rounds, lines_by_area, compared: int) -> int:
    """How many items of either round the other lacks (not compared)."""
    if rounds.previous is None:
        return 0
    ours = sum(len(lines) for lines in lines_by_area.values())
    theirs = len(rounds.contents[rounds.previous.pk].items())
    return max(0, ours - compared) + max(0, theirs - compared)


def _retired_lines(round_, retired: dict[int, ChecklistItem], answers) -> list[ItemLine]:
    """The round's answers to items no longer in the handbook, in the handbook's old order."""
    return [
        ItemLine(item=item, value=answer.value or None, answer=answer, optional=False)
        for item_id, item in retired.items()
        if (answer := answers.get(item_id)) is not None and (answer.value or answer.comment)
    ]


def _lines_by_area(rounds: _Rounds, areas, answers, actions) -> dict[int, list[ItemLine]]:
    """One line per checklist item of the round's content, grouped by key area id, in reading
    order."""
    round_, previous = rounds.round, rounds.previous
    round_answers = answers[round_.pk]
    previous_answers = answers[previous.pk] if previous else {}
    previous_ids = rounds.previous_ids()
    replaced = rounds.replaced if previous else {}
    actions_by_item: dict[int, list[Action]] = {}
    for action in actions:
        actions_by_item.setdefault(action.item_id, []).append(action)

    lines = {}
    for area in areas:
        lines[area.pk] = []
        for item in rounds.items_of(area):
            previous_id = previous_ids.get(lineage(item.key, replaced)) if previous else None
            line = _item_line(
                round_,
                previous,
                item,
                round_answers.get(item.pk),
                previous_answers.get(previous_id),
                actions_by_item.get(item.pk, []),
            )
            line.compared = previous_id is not None
            lines[area.pk].append(line)
    return lines


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


def _area_summary(area, lines, note, previous, success_factors) -> AreaSummary:
    compared = [line for line in lines if line.compared]
    return AreaSummary(
        key_area=area,
        result=scoring.area_result(line.value for line in lines),
        lines=lines,
        note=note,
        success_factors=success_factors,
        previous_result=(
            scoring.area_result(line.previous_value for line in compared) if previous else None
        ),
        compared_result=(
            scoring.area_result(line.value for line in compared) if previous else None
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
