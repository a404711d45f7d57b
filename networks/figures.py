"""What a network's coordinators see of its members: figures, never texts.

Per member organisation that shares with networks (`Sharing.NETWORK`, read now): its latest
round's name, status and completion, the verdict per key area of that round (judged as its
summary judges it), its open and overdue actions counted, and the participants' agreement per
key area of its latest closed round where the survey showed it (from the peers' snapshots).
Never an answer's comment, a note, an action's text, a staff member's name or a survey's
free text. For the network as a whole, once at least `MINIMUM` sharing members have a round:
the checklist items most of them answered No or Partly.

A constant number of queries, whatever the number of members.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Action, ActionStatus, Answer, Round, Sharing
from assessments.selectors import counted_value, scored_area
from content.cache import checklist_items_of_area, current_key_areas
from peers.comparison import MINIMUM
from peers.models import AreaFigures

from .models import NetworkMember

GAP_VALUES = ("no", "partly")
MOST_GAPS_SHOWN = 15


@dataclass
class MemberFigures:
    organisation: object
    round: Round | None = None
    areas: list = field(default_factory=list)  # (key_area, scoring.AreaResult)
    open_actions: int = 0
    overdue_actions: int = 0
    participants: dict = field(default_factory=dict)  # key area id -> agreement 0..1

    @property
    def answered(self) -> int:
        return sum(result.answered for _area, result in self.areas)

    @property
    def applicable(self) -> int:
        return sum(result.applicable for _area, result in self.areas)

    @property
    def participant_areas(self) -> list:
        """(key area, agreement in whole percent or None) in handbook order."""
        return [
            (
                area,
                None
                if area.pk not in self.participants
                else round(self.participants[area.pk] * 100),
            )
            for area, _result in self.areas
        ]


@dataclass(frozen=True)
class SharedGap:
    item: object  # content.models.ChecklistItem
    organisations: int  # answered No or Partly
    of: int  # members with a round


@dataclass
class NetworkFigures:
    members: list[MemberFigures]
    not_sharing: int  # members that do not share with networks: not shown
    gaps: list[SharedGap] | None  # None: fewer than MINIMUM members with a round
    with_round: int = 0

    @property
    def has_participants(self) -> bool:
        return any(member.participants for member in self.members)


def _latest_rounds(organisation_ids) -> dict[int, Round]:
    latest = {}
    rounds = (
        Round.objects.filter(organisation_id__in=organisation_ids)
        .only("pk", "organisation_id", "name", "status", "created_at", "closed_at")
        .order_by("organisation_id", "-created_at", "-pk")
    )
    for round_ in rounds:
        latest.setdefault(round_.organisation_id, round_)
    return latest


def _stored(round_ids) -> dict[int, dict[int, tuple[str, bool]]]:
    stored: dict[int, dict] = defaultdict(dict)
    answers = Answer.objects.filter(round_id__in=round_ids).values_list(
        "round_id", "item_id", "value", "carried_over"
    )
    for round_id, item_id, value, carried in answers:
        stored[round_id][item_id] = (value, carried)
    return stored


def _actions(organisation_ids) -> dict[int, tuple[int, int]]:
    today = timezone.localdate()
    rows = (
        Action.objects.filter(round__organisation_id__in=organisation_ids)
        .exclude(status=ActionStatus.DONE)
        .values("round__organisation_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by()
    )
    return {row["round__organisation_id"]: (row["open"], row["overdue"]) for row in rows}


def _participants(organisation_ids) -> dict[int, dict[int, float]]:
    shown: dict[int, dict] = defaultdict(dict)
    rows = AreaFigures.objects.filter(
        figures__latest=True,
        figures__organisation_id__in=organisation_ids,
        participants_agreement__isnull=False,
    ).values_list("figures__organisation_id", "key_area_id", "participants_agreement")
    for organisation_id, key_area_id, agreement in rows:
        shown[organisation_id][key_area_id] = agreement
    return shown


def _gaps(members: list[MemberFigures], stored, items_by_area) -> list[SharedGap] | None:
    with_round = [m for m in members if m.round is not None]
    if len(with_round) < MINIMUM:
        return None
    counts: Counter = Counter()
    order = []
    for items in items_by_area.values():
        for item in items:
            order.append(item)
            for member in with_round:
                value, carried = stored[member.round.pk].get(item.pk, (None, False))
                org_type = member.organisation.org_type
                if counted_value(item, org_type, value, carried) in GAP_VALUES:
                    counts[item.pk] += 1
    most = [item for item in order if counts[item.pk] * 2 > len(with_round)]
    most.sort(key=lambda item: -counts[item.pk])  # stable: handbook order among equals
    return [SharedGap(item, counts[item.pk], len(with_round)) for item in most[:MOST_GAPS_SHOWN]]


def network_figures(network) -> NetworkFigures:
    memberships = list(
        NetworkMember.objects.filter(network=network)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    sharing = [m.organisation for m in memberships if m.organisation.sharing == Sharing.NETWORK]
    ids = [organisation.pk for organisation in sharing]
    latest = _latest_rounds(ids)
    stored = _stored([round_.pk for round_ in latest.values()])
    actions = _actions(ids)
    participants = _participants(ids)
    key_areas = current_key_areas()
    items_by_area = {area.pk: checklist_items_of_area(area.pk) for area in key_areas}
    members = []
    for organisation in sharing:
        member = MemberFigures(organisation, latest.get(organisation.pk))
        if member.round is not None:
            values = stored[member.round.pk]
            member.areas = [
                (area, scored_area(organisation.org_type, items_by_area[area.pk], values))
                for area in key_areas
            ]
        member.open_actions, member.overdue_actions = actions.get(organisation.pk, (0, 0))
        member.participants = participants.get(organisation.pk, {})
        members.append(member)
    gaps = _gaps(members, stored, items_by_area)
    return NetworkFigures(
        members=members,
        not_sharing=len(memberships) - len(sharing),
        gaps=gaps,
        with_round=sum(1 for m in members if m.round is not None),
    )
