"""Reads of the self-assessment shared by views: scoped to the member, constant in queries."""

from dataclasses import dataclass, field

from django.db import connection
from django.http import Http404

from content.models import Audience, Checklist, ChecklistItem, KeyArea
from toolkit_site.sql import ModelColumns

from . import scoring
from .models import Action, Answer, Membership, Note, Organisation, Round


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


_ROUND = ModelColumns(Round, "r")
_ORGANISATION = ModelColumns(Organisation, "o")
_MEMBERSHIP_AND_ROUND = (
    f"SELECT {_ROUND.sql}, {_ORGANISATION.sql}, m.id, m.role "
    f'FROM "{Round._meta.db_table}" r '
    f'JOIN "{Organisation._meta.db_table}" o ON o.id = r.organisation_id '
    f'JOIN "{Membership._meta.db_table}" m ON m.organisation_id = o.id AND m.user_id = %s '
    "WHERE r.id = %s AND o.slug = %s"
)


def membership_and_round(user, org_slug: str, round_id: int) -> tuple[Membership, Round]:
    """The user's membership and the organisation's round, in one query, or 404.

    Every round page starts here, so the statement is written once in SQL (its columns taken
    from the models) rather than compiled by the ORM on each request: that compilation cost
    three times the query itself.
    """
    if not user.is_authenticated:
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERSHIP_AND_ROUND, [user.pk, round_id, org_slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return membership_and_round_from_row(user, row)


def membership_and_round_from_row(user, row) -> tuple[Membership, Round]:
    """The membership and round from a row of `_MEMBERSHIP_AND_ROUND`."""
    split = len(_ROUND)
    end = split + len(_ORGANISATION)
    round_ = _ROUND.instance(row[:split], connection.alias)
    organisation = _ORGANISATION.instance(row[split:end], connection.alias)
    round_.organisation = organisation
    member_id, role = row[end : end + 2]
    membership = Membership(pk=member_id, user=user, organisation=organisation, role=role)
    return membership, round_


def round_for_member(membership: Membership, round_id: int) -> Round:
    round_ = Round.objects.filter(organisation=membership.organisation, pk=round_id).first()
    if round_ is None:
        raise Http404
    round_.organisation = membership.organisation
    return round_


@dataclass
class ItemRow:
    item: ChecklistItem
    answer: Answer | None
    value: str | None  # effective value (a preset "na" when unanswered and preset)
    optional: bool  # the item's checklist is meant for another kind of organisation
    previous_actions: list = field(default_factory=list)  # planned in the previous round

    @property
    def preset(self) -> bool:
        return self.value == scoring.NA and not (self.answer and self.answer.value)

    @property
    def stored_value(self) -> str:
        return self.answer.value if self.answer else ""

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


def _effective(item: ChecklistItem, stored: str | None, org_type: str) -> tuple[str | None, bool]:
    """An item's value for scoring (a preset "na" when unanswered), and whether it is optional
    (its checklist is meant for another kind of organisation)."""
    optional = item.checklist.audience != Audience.ALL and item.checklist.audience != org_type
    value = scoring.effective_value(
        stored,
        not_applicable_for=item.not_applicable_for,
        org_type=org_type,
        optional_checklist=optional,
    )
    return value, optional


def _rows(round_: Round, items, answers: dict[int, Answer]) -> list[ItemRow]:
    org_type = round_.organisation.org_type
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        value, optional = _effective(item, answer.value if answer else None, org_type)
        rows.append(ItemRow(item=item, answer=answer, value=value, optional=optional))
    return rows


AREA_VALUES = (
    f'SELECT a.item_id, a.value FROM "{Answer._meta.db_table}" a '
    f'JOIN "{ChecklistItem._meta.db_table}" i ON i.id = a.item_id '
    f'JOIN "{Checklist._meta.db_table}" c ON c.id = i.checklist_id '
    "WHERE a.round_id = %s AND c.key_area_id = %s"
)


def area_result(
    round_: Round,
    key_area: KeyArea,
    items: list[ChecklistItem],
    stored: dict[int, str] | None = None,
) -> scoring.AreaResult:
    """The result of a key area's current `items` in the round, from the `stored` values by
    item id (read here when not given: one query)."""
    # Every answer save ends here, so the statement is written out (the ORM took 0.67 ms to
    # build and run it, the SQL alone 0.24 ms).
    if stored is None:
        with connection.cursor() as cursor:
            cursor.execute(AREA_VALUES, [round_.pk, key_area.pk])
            stored = dict(cursor.fetchall())
    return scored_area(round_.organisation.org_type, items, stored)


def scored_area(org_type: str, items: list[ChecklistItem], stored: dict[int, str]):
    """The result of a key area's current `items` for an organisation of `org_type`, from the
    `stored` values by item id."""
    return scoring.area_result(_effective(item, stored.get(item.pk), org_type)[0] for item in items)


def _current_items():
    return (
        ChecklistItem.objects.current()
        .filter(checklist__retired=False, checklist__key_area__retired=False)
        .select_related("checklist")
        .order_by("checklist__key_area__number", "checklist__order", "order")
    )


def area_rows(round_: Round, key_area: KeyArea, *, with_previous_actions=False) -> list[ItemRow]:
    """Every current item of the key area with its answer in the round (two queries), and
    optionally the actions planned for its items in the previous closed round (two more)."""
    items = list(_current_items().filter(checklist__key_area=key_area))
    answers = {
        a.item_id: a
        for a in Answer.objects.filter(
            round=round_, item__checklist__key_area=key_area
        ).select_related("updated_by")
    }
    rows = _rows(round_, items, answers)
    if with_previous_actions:
        from .summary import previous_closed_round

        previous = previous_closed_round(round_)
        if previous is not None:
            planned: dict[int, list[Action]] = {}
            for action in Action.objects.filter(round=previous, item__checklist__key_area=key_area):
                planned.setdefault(action.item_id, []).append(action)
            for row in rows:
                row.previous_actions = planned.get(row.item.pk, [])
    return rows


@dataclass
class AreaProgress:
    key_area: KeyArea
    result: scoring.AreaResult
    first_unanswered: ChecklistItem | None


def round_progress(round_: Round) -> tuple[list[AreaProgress], scoring.AreaResult]:
    """Per key area and overall results of a round (three queries whatever the data)."""
    areas = list(KeyArea.objects.current().order_by("number"))
    items = list(_current_items())
    answers = {a.item_id: a for a in Answer.objects.filter(round=round_)}
    rows_by_area: dict[int, list[ItemRow]] = {}
    for row in _rows(round_, items, answers):
        rows_by_area.setdefault(row.item.checklist.key_area_id, []).append(row)
    progress = []
    for area in areas:
        rows = rows_by_area.get(area.pk, [])
        progress.append(
            AreaProgress(
                key_area=area,
                result=scoring.area_result(r.value for r in rows),
                first_unanswered=next((r.item for r in rows if not r.value), None),
            )
        )
    return progress, scoring.combine(p.result for p in progress)


def note_for(round_: Round, key_area: KeyArea) -> Note | None:
    return Note.objects.filter(round=round_, key_area=key_area).select_related("updated_by").first()


def rounds_for_organisation(organisation):
    return Round.objects.filter(organisation=organisation).select_related(
        "created_by", "organisation"
    )
