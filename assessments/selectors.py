"""Reads of the self-assessment shared by views: scoped to the member, constant in queries."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.http import Http404

from accounts.people import display_name, name_or_fallback
from content.models import ChecklistItem, KeyArea

from . import scoring
from .models import (
    Action,
    Answer,
    IndividualAnswer,
    Invitation,
    Membership,
    Note,
    Organisation,
    Round,
    RoundStatus,
)
from .snapshots import round_handbook


def memberships_for_user(user):
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def membership_for(user, org_slug: str) -> Membership:
    """The user's membership of the organisation, or 404 (never a hint that it exists)."""
    membership = memberships_for_user(user).filter(organisation__slug=org_slug).first()
    if membership is None:
        raise Http404
    return membership


def membership_and_round(user, org_slug: str, round_id: int) -> tuple[Membership, Round]:
    """The user's membership and the organisation's round, or 404."""
    membership = membership_for(user, org_slug)
    return membership, round_for_member(membership, round_id)


def round_for_member(membership: Membership, round_id: int) -> Round:
    round_ = (
        Round.objects.filter(organisation=membership.organisation, pk=round_id)
        .select_related("copied_from")  # named beside its carried-over answers
        .first()
    )
    if round_ is None:
        raise Http404
    round_.organisation = membership.organisation
    return round_


@dataclass
class ItemRow:
    item: ChecklistItem
    answer: Answer | None
    value: str | None  # effective value (a preset "na" when unanswered and preset; none
    # while the answer is carried over unconfirmed)
    optional: bool  # the item's checklist is meant for another kind of organisation
    previous_actions: list = field(default_factory=list)  # planned in the previous round
    # A refused save shown again: what was typed, and the conflict or error that refused it.
    typed: dict | None = None  # {"value", "comment"}
    conflict: dict | None = None  # {"value", "comment"}: the answer that lost
    error: dict | None = None  # {"message"}

    @property
    def preset(self) -> bool:
        return self.value == scoring.NA and not (self.answer and self.answer.value)

    @property
    def carried_over(self) -> bool:
        """Carried over from an earlier round and not yet confirmed (counted as unanswered)."""
        return bool(getattr(self.answer, "carried_over", False))

    @property
    def shown_value(self) -> str | None:
        """The value the item's choices show: a carried-over answer's too."""
        return self.answer.value if self.carried_over else self.value

    @property
    def shown_choice(self) -> str | None:
        """The choice the item shows checked: what was typed, if a refused save kept it."""
        return (self.typed or {}).get("value") or self.shown_value

    @property
    def shown_comment(self) -> str:
        return self.typed["comment"] if self.typed else self.stored_comment

    @property
    def stored_value(self) -> str:
        return self.answer.value if self.answer else ""

    @property
    def stored_comment(self) -> str:
        return self.answer.comment if self.answer else ""

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


def counted_value(
    item: ChecklistItem, org_type: str, stored: str | None, carried_over: bool = False
) -> str | None:
    """What the `stored` answer to `item` (None: no answer) counts as (`scoring.counted_value`,
    the one rule)."""
    return scoring.counted_value(
        stored,
        carried_over=carried_over,
        audience=item.checklist.audience,
        not_applicable_for=item.not_applicable_for,
        org_type=org_type,
    )


def answer_counted_value(item: ChecklistItem, org_type: str, answer) -> str | None:
    """What `answer` (an Answer, an IndividualAnswer or None) to `item` counts as."""
    if answer is None:
        return counted_value(item, org_type, None)
    return counted_value(item, org_type, answer.value, answer.carried_over)


def _rows(round_: Round, items, answers: dict[int, Answer]) -> list[ItemRow]:
    org_type = round_.organisation.org_type
    return [
        ItemRow(
            item=item,
            answer=answers.get(item.pk),
            value=answer_counted_value(item, org_type, answers.get(item.pk)),
            optional=scoring.optional_checklist(item.checklist.audience, org_type),
        )
        for item in items
    ]


def area_result(round_: Round, key_area: KeyArea, *, user=None) -> scoring.AreaResult:
    """The key area's result in the round from the stored values alone (one light query), of
    the answers `user` works on (`answers_seen_by`)."""
    stored = _stored_values(
        answers_seen_by(round_, user).filter(item__checklist__key_area=key_area)
    )
    items = round_handbook(round_).items_of(key_area.pk)
    return scored_area(round_.organisation.org_type, items, stored)


def _stored_values(answers) -> dict[int, tuple[str, bool]]:
    """The values of `answers` by item id, read as values alone, each with whether it was
    carried over and not yet confirmed (an individual answer never is)."""
    if answers.model is Answer:
        rows = answers.values_list("item_id", "value", "carried_over")
        return {item_id: (value, carried) for item_id, value, carried in rows}
    return {item_id: (value, False) for item_id, value in answers.values_list("item_id", "value")}


def item_row(round_: Round, item: ChecklistItem, answer) -> ItemRow:
    """One item's row, `answer` being its stored answer (with `updated_by`) or an unsaved one."""
    return _rows(round_, [item], {item.pk: answer} if answer is not None and answer.pk else {})[0]


def scored_area(org_type: str, items: list[ChecklistItem], stored: dict[int, tuple[str, bool]]):
    """The result of a key area's current `items` for an organisation of `org_type`, from the
    `stored` values by item id (`_stored_values`)."""
    return scoring.area_result(
        counted_value(item, org_type, *stored.get(item.pk, (None, False))) for item in items
    )


def answers_seen_by(round_: Round, user):
    """The answers a member works on in the round: the shared ones, or, while a round of the
    "each first, then agree" kind collects individual answers, the member's own only."""
    if round_.collects_individual_answers:
        return IndividualAnswer.objects.filter(round=round_, user=user)
    return Answer.objects.filter(round=round_)


def area_rows(
    round_: Round, key_area: KeyArea, *, user=None, with_previous_actions=False
) -> list[ItemRow]:
    """Every current item of the key area with its answer in the round (two queries), and
    optionally the actions planned for its items in the previous closed round (two more).
    The answers are those `user` works on (`answers_seen_by`); the items those of the round's
    content (`round_handbook`)."""
    items = round_handbook(round_).items_of(key_area.pk)
    answers = {
        a.item_id: a
        for a in answers_seen_by(round_, user)
        .filter(item__checklist__key_area=key_area)
        .select_related("updated_by")
    }
    rows = _rows(round_, items, answers)
    if with_previous_actions:
        previous = previous_closed_round(round_)
        if previous is not None:
            planned: dict[int, list[Action]] = {}
            for action in Action.objects.filter(round=previous, item__checklist__key_area=key_area):
                planned.setdefault(action.item_id, []).append(action)
            for row in rows:
                row.previous_actions = planned.get(row.item.pk, [])
    return rows


def retired_answers(round_: Round, key_area: KeyArea, rows: list[ItemRow], *, user=None) -> list:
    """The answers (a value or a comment) `user` works on in the round to items of the key
    area that are not among its `rows` (`area_rows`) any more, having been taken out of the
    handbook while the round was open: shown apart, never counted. One query; a closed
    round's items read as they were when it closed."""
    current = [row.item.pk for row in rows]
    answers = list(
        answers_seen_by(round_, user)
        .filter(item__checklist__key_area=key_area)
        .exclude(item_id__in=current)
        .exclude(value="", comment="")
        .select_related("item__checklist__key_area")
        .order_by("item__checklist__order", "item__order", "item__key")
    )
    kept = round_handbook(round_).retired or {}
    for answer in answers:
        answer.item = kept.get(answer.item_id, answer.item)
    return answers


@dataclass
class AreaProgress:
    key_area: KeyArea
    result: scoring.AreaResult
    first_unanswered: ChecklistItem | None


def round_progress(round_: Round, user=None) -> tuple[list[AreaProgress], scoring.AreaResult]:
    """Per key area and overall results of a round (one query of values whatever the data), of the
    answers `user` works on (`answers_seen_by`)."""
    stored = _stored_values(answers_seen_by(round_, user))
    org_type = round_.organisation.org_type
    handbook = round_handbook(round_)
    values_by_area: dict[int, list[tuple[ChecklistItem, str | None]]] = {}
    for item in handbook.items():
        value = counted_value(item, org_type, *stored.get(item.pk, (None, False)))
        values_by_area.setdefault(item.checklist.key_area_id, []).append((item, value))
    progress = []
    for area in handbook.key_areas():
        values = values_by_area.get(area.pk, [])
        progress.append(
            AreaProgress(
                key_area=area,
                result=scoring.area_result(value for _item, value in values),
                first_unanswered=next((item for item, value in values if not value), None),
            )
        )
    return progress, scoring.combine(p.result for p in progress)


@dataclass
class UnfinishedArea:
    key_area: KeyArea
    result: scoring.AreaResult
    unanswered: list[ChecklistItem]  # its applicable items nobody answered, in reading order


def unfinished_areas(round_: Round) -> list[UnfinishedArea]:
    """The key areas without a verdict in the round (`scoring.AreaResult.verdict`: while any
    applicable item is unanswered), each with those items. Counted from the answers its
    verdicts use, the shared or agreed ones, in one query."""
    stored = _stored_values(Answer.objects.filter(round=round_))
    org_type = round_.organisation.org_type
    handbook = round_handbook(round_)  # the round's own content, as its progress counts it
    values_by_area: dict[int, list[tuple[ChecklistItem, str | None]]] = {}
    for item in handbook.items():
        value = counted_value(item, org_type, *stored.get(item.pk, (None, False)))
        values_by_area.setdefault(item.checklist.key_area_id, []).append((item, value))
    unfinished = []
    for area in handbook.key_areas():
        values = values_by_area.get(area.pk, [])
        result = scoring.area_result(value for _item, value in values)
        if result.verdict is None:
            unanswered = [item for item, value in values if not value]
            unfinished.append(UnfinishedArea(key_area=area, result=result, unanswered=unanswered))
    return unfinished


def note_for(round_: Round, key_area: KeyArea) -> Note | None:
    return Note.objects.filter(round=round_, key_area=key_area).select_related("updated_by").first()


def rounds_for_organisation(organisation):
    return Round.objects.filter(organisation=organisation).select_related(
        "created_by", "organisation"
    )


def last_closed_round(rounds: list[Round]) -> Round | None:
    """The round a new one may carry over answers from: the latest closed one (of `rounds`,
    the organisation's, newest first)."""
    return next((r for r in rounds if r.status == RoundStatus.CLOSED), None)


def open_rounds(rounds: list[Round]) -> list[Round]:
    return [r for r in rounds if r.status == RoundStatus.OPEN]


def _individual_answers_shown():
    """Individual answers whose authors may be named: once the comparison is open (before,
    even who has answered is the coordinator's business only)."""
    return IndividualAnswer.objects.filter(round__comparison_opened_at__isnull=False)


@dataclass
class Contributions:
    """Who has saved something in a round: the people who may be named, and how many more
    saved only answers of their own that are not named yet (before the comparison opens)."""

    named: list
    unnamed: int

    @property
    def anyone(self) -> bool:
        return bool(self.named or self.unnamed)


def round_contributions(round_: Round) -> Contributions:
    """The people who saved something in the round: an answer (not one carried over and
    still unconfirmed: its author worked in an earlier round), notes or an individual answer
    (named once the comparison is open; counted, not named, before). One query."""
    named = (
        Q(pk__in=Answer.objects.filter(round=round_, carried_over=False).values("updated_by"))
        | Q(pk__in=Note.objects.filter(round=round_).values("updated_by"))
        | Q(pk__in=_individual_answers_shown().filter(round=round_).values("user"))
    )
    own = Q(
        pk__in=IndividualAnswer.objects.filter(round=round_)
        .exclude(value="", comment="")
        .values("user")
    )
    people = (
        get_user_model()
        .objects.filter(named | own)
        .annotate(named=Case(When(named, then=Value(True)), default=Value(False)))
    )
    shown = sorted(
        (user for user in people if user.named), key=lambda user: (display_name(user), user.pk)
    )
    return Contributions(named=shown, unnamed=sum(1 for user in people if not user.named))


def round_contributors(round_: Round) -> list:
    """The people of `round_contributions` who may be named."""
    return round_contributions(round_).named


def contributors_by_round(round_ids) -> dict[int, list[str]]:
    """`round_contributors` of several rounds, by name, in one query."""
    rows = (
        Answer.objects.filter(round_id__in=round_ids, carried_over=False, updated_by__isnull=False)
        .values_list("round_id", "updated_by_id", "updated_by__first_name")
        .union(
            Note.objects.filter(round_id__in=round_ids, updated_by__isnull=False).values_list(
                "round_id", "updated_by_id", "updated_by__first_name"
            ),
            _individual_answers_shown()
            .filter(round_id__in=round_ids)
            .values_list("round_id", "user_id", "user__first_name"),
        )
    )
    found: dict[int, list[str]] = {}
    for round_id, _user_id, first_name in sorted(
        rows, key=lambda row: (row[0], name_or_fallback(row[2]), row[1])
    ):
        found.setdefault(round_id, []).append(name_or_fallback(first_name))
    return found


def unnamed_contributors_by_round(round_ids) -> dict[int, int]:
    """`round_contributions`' unnamed people of several rounds: how many saved only answers of
    their own that are not named yet, by round id, in one query."""
    named_elsewhere = Exists(
        Note.objects.filter(round=OuterRef("round"), updated_by=OuterRef("user"))
    ) | Exists(
        Answer.objects.filter(
            round=OuterRef("round"), updated_by=OuterRef("user"), carried_over=False
        )
    )
    rows = (
        IndividualAnswer.objects.filter(
            round_id__in=round_ids, round__comparison_opened_at__isnull=True
        )
        .exclude(value="", comment="")
        .exclude(named_elsewhere)
        .values("round_id")
        .annotate(people=Count("user", distinct=True))
        .values_list("round_id", "people")
    )
    return dict(rows)


@dataclass
class MemberProgress:
    membership: Membership
    result: scoring.AreaResult  # the member's own answers, counted by the one rule

    @property
    def answered(self) -> int:
        """Applicable items the member answered (Yes, Partly or No)."""
        return self.result.answered

    @property
    def total(self) -> int:
        """Items applicable to the member's answers (as `round_progress` counts them)."""
        return self.result.applicable


def individual_progress(round_: Round) -> list[MemberProgress]:
    """How far each member who may write has got with their own answers: counts only, never
    the answers, counted like the round's progress (`round_progress`: applicable items,
    presets and optional checklists as not applicable). Two queries whatever the number of
    members."""
    stored: dict[int, dict[int, tuple[str, bool]]] = {}
    for user_id, item_id, value in IndividualAnswer.objects.filter(round=round_).values_list(
        "user_id", "item_id", "value"
    ):
        stored.setdefault(user_id, {})[item_id] = (value, False)
    org_type = round_.organisation.org_type
    items = round_handbook(round_).items()
    members = Membership.objects.filter(organisation=round_.organisation_id).select_related("user")
    return [
        MemberProgress(membership=m, result=scored_area(org_type, items, stored.get(m.user_id, {})))
        for m in sorted(members, key=lambda m: (display_name(m.user), m.user.email))
        if m.can_write
    ]


@dataclass(frozen=True)
class FirstSteps:
    """How far an organisation has got with its first steps, each read from its data."""

    invited: bool  # another member, or an invitation sent
    round_started: bool
    answered: bool  # any answer saved, shared or a member's own
    summary_ready: bool  # a key area finished, so its summary has a verdict (or a round closed)
    action_planned: bool
    latest_round: Round | None

    @property
    def done(self) -> bool:
        return all(
            (
                self.invited,
                self.round_started,
                self.answered,
                self.summary_ready,
                self.action_planned,
            )
        )


def first_steps(membership: Membership, rounds: list[Round]) -> FirstSteps:
    """The first steps of `membership`'s organisation, `rounds` being its rounds newest first:
    one query, and one more for the newest round's progress when there is a round.

    Whether someone read the summary is not recorded; a finished key area (the summary then
    has a verdict to read) or a closed round stands for it."""
    organisation = membership.organisation
    in_organisation = {"round__organisation": organisation}
    flags = (
        Organisation.objects.filter(pk=organisation.pk)
        .values(
            other_member=Exists(
                Membership.objects.filter(organisation=organisation).exclude(pk=membership.pk)
            ),
            invited=Exists(Invitation.objects.filter(organisation=organisation)),
            answered=Exists(Answer.objects.filter(**in_organisation).exclude(value="")),
            answered_alone=Exists(
                IndividualAnswer.objects.filter(**in_organisation).exclude(value="")
            ),
            planned=Exists(Action.objects.filter(**in_organisation)),
        )
        .get()
    )
    latest = rounds[0] if rounds else None
    summary_ready = False
    if latest is not None:
        progress, _overall = round_progress(latest, membership.user_id)
        summary_ready = any(r.status == RoundStatus.CLOSED for r in rounds) or any(
            p.result.complete and p.result.answered for p in progress
        )
    return FirstSteps(
        invited=flags["other_member"] or flags["invited"],
        round_started=latest is not None,
        answered=flags["answered"] or flags["answered_alone"],
        summary_ready=summary_ready,
        action_planned=flags["planned"],
        latest_round=latest,
    )


def previous_closed_round(round_: Round) -> Round | None:
    """The round a round is compared with: the organisation's latest closed round started
    before it."""
    closed = Round.objects.filter(organisation=round_.organisation_id, status=RoundStatus.CLOSED)
    return previous_closed_of(round_, list(closed.filter(created_at__lt=round_.created_at)))


def previous_closed_of(round_: Round, rounds: list[Round]) -> Round | None:
    """`previous_closed_round`, chosen from the organisation's rounds already at hand."""
    earlier = [
        r
        for r in rounds
        if r.status == RoundStatus.CLOSED and r.created_at < round_.created_at and r.pk != round_.pk
    ]
    return max(earlier, key=lambda r: (r.created_at, r.pk), default=None)
