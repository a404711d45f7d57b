"""Key areas of a round assigned to members: who answers what. A key area nobody is assigned
is everyone's. Every member sees the assignments; coordinators change them while the round
is open; they are carried to the next round with its answers."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Value
from django.utils.translation import gettext as _

from accounts.people import display_name
from content.cache import current_checklist_items, current_key_areas
from content.models import KeyArea

from . import scoring, selectors, services
from .models import (
    WRITE_ROLES,
    Answer,
    IndividualAnswer,
    KeyAreaAssignment,
    Membership,
    Round,
    RoundMode,
    RoundStatus,
)


def assignable_members(organisation) -> list[Membership]:
    """The members a key area can be assigned to: those who may answer (coordinators and
    practitioners; a viewer answers nothing), by name. One query."""
    members = Membership.objects.filter(organisation=organisation, role__in=WRITE_ROLES)
    return sorted(
        members.select_related("user"), key=lambda m: (display_name(m.user), m.user.email)
    )


def _held(rounds_filter: dict):
    """The assignments still held: a member made a viewer keeps none (until made able to
    answer again)."""
    return KeyAreaAssignment.objects.filter(
        membership__role__in=WRITE_ROLES, **rounds_filter
    ).select_related("membership__user")


def assignees_of_rounds(round_ids) -> dict[int, dict[int, list]]:
    """`assignees` of several rounds, by round id, in one query."""
    found: dict[int, dict[int, list]] = {}
    for assignment in _held({"round_id__in": list(round_ids)}):
        by_area = found.setdefault(assignment.round_id, {})
        by_area.setdefault(assignment.key_area_id, []).append(assignment.membership.user)
    for by_area in found.values():
        for people in by_area.values():
            people.sort(key=lambda user: (display_name(user), user.pk))
    return found


def assignees(round_: Round) -> dict[int, list]:
    """The people each key area of the round is assigned to, {key_area_id: [users]} (a key area
    missing is everyone's), in one query."""
    return assignees_of_rounds([round_.pk]).get(round_.pk, {})


def assignments_set(*, round: Round, chosen: dict[int, set[int]], user) -> None:
    """Make the round's assignments exactly `chosen`, {key_area_id: {user ids}} (an area
    missing or empty: everyone's), all or nothing: RoundClosedError when the round is closed,
    ValidationError when someone is not a member who may answer or an area is not one of
    the handbook's. `user` is the coordinator (checked by the caller)."""
    areas = {area.pk for area in current_key_areas()}
    if set(chosen) - areas:
        raise ValidationError(_("Choose key areas of the handbook."))
    with services.round_write(round) as write:
        # The members' rows are locked: one removed meanwhile is not assigned after its removal.
        members = {
            m.user_id: m
            for m in Membership.objects.select_for_update().filter(
                organisation_id=write.parent.organisation_id, role__in=WRITE_ROLES
            )
        }
        wanted = {(area, user_id) for area, people in chosen.items() for user_id in people}
        if any(user_id not in members for _area, user_id in wanted):
            raise ValidationError(
                _("Only members of the organisation who may answer can be assigned a key area.")
            )
        current = {
            (a.key_area_id, a.membership.user_id): a.pk
            for a in write.parent.assignments.select_related("membership")
        }
        gone = [pk for key, pk in current.items() if key not in wanted]
        new = [
            KeyAreaAssignment(round=write.parent, key_area_id=area, membership=members[user_id])
            for area, user_id in wanted - set(current)
        ]
        if gone or new:
            KeyAreaAssignment.objects.filter(pk__in=gone).delete()
            KeyAreaAssignment.objects.bulk_create(new)
            write.changed()


def assignments_carry(*, source: Round, target: Round) -> None:
    """Give `target` (a round just started from `source`'s answers) `source`'s assignments
    of the members who may still answer (the caller's transaction)."""
    KeyAreaAssignment.objects.bulk_create(
        KeyAreaAssignment(round=target, key_area_id=a.key_area_id, membership_id=a.membership_id)
        for a in KeyAreaAssignment.objects.filter(round=source, membership__role__in=WRITE_ROLES)
    )


def assigned_progress(progress: list, people: dict[int, list], user) -> list:
    """The entries of a round's `progress` (`selectors.round_progress`) whose key area
    `people` (`assignees`) assigns to `user`: "your key areas" on the round page."""
    return [p for p in progress if any(u.pk == user.pk for u in people.get(p.key_area.pk, []))]


def progress_with_assignees(progress: list, people: dict[int, list]) -> list[tuple]:
    """Each entry of a round's `progress` with the people its key area is assigned to
    (`assignees`; none: everyone's), for the round page's table."""
    return [(p, people.get(p.key_area.pk, [])) for p in progress]


@dataclass
class AssignedArea:
    round: Round
    key_area: KeyArea
    result: scoring.AreaResult  # of the answers the person works on (their own ones in an
    # each-first round before its comparison)


def _own_answers_collected():
    return {"round__mode": RoundMode.INDIVIDUAL, "round__comparison_opened_at__isnull": True}


def assigned_to(user) -> list[AssignedArea]:
    """The key areas of open rounds assigned to `user`, with how far they have got (the
    counting of the round page, over the answers they work on: `selectors.answers_seen_by`).
    Two queries whatever the number of rounds."""
    areas = {area.pk: area for area in current_key_areas()}
    rows = [
        a
        for a in KeyAreaAssignment.objects.filter(
            membership__user=user, membership__role__in=WRITE_ROLES, round__status=RoundStatus.OPEN
        ).select_related("round__organisation")
        if a.key_area_id in areas
    ]
    mine = KeyAreaAssignment.objects.filter(
        membership__user=user,
        round__status=RoundStatus.OPEN,
        round=OuterRef("round"),
        key_area=OuterRef("item__checklist__key_area"),
    )
    shared = (
        Answer.objects.filter(Exists(mine))
        .exclude(**_own_answers_collected())
        .values_list("round_id", "item_id", "value", "carried_over")
    )
    own = (
        IndividualAnswer.objects.filter(Exists(mine), user=user, **_own_answers_collected())
        .annotate(carried=Value(False))
        .values_list("round_id", "item_id", "value", "carried")
    )
    items: dict[int, list] = {}
    for item in current_checklist_items():
        items.setdefault(item.checklist.key_area_id, []).append(item)
    stored: dict[int, dict[int, tuple[str, bool]]] = {}
    for round_id, item_id, value, carried in shared.union(own, all=True):
        stored.setdefault(round_id, {})[item_id] = (value, carried)
    found = [
        AssignedArea(
            round=a.round,
            key_area=areas[a.key_area_id],
            result=selectors.scored_area(
                a.round.organisation.org_type,
                items.get(a.key_area_id, []),
                stored.get(a.round_id, {}),
            ),
        )
        for a in rows
    ]
    # The organisations by name, each one's newest round first, its key areas in order.
    found.sort(
        key=lambda f: (
            f.round.organisation.name,
            -f.round.created_at.timestamp(),
            -f.round.pk,
            f.key_area.number,
        )
    )
    return found
