"""Writing the snapshots: a round's figures when it closes, gone when it reopens."""

from django.db import transaction

from assessments.models import Answer, Organisation, Round, RoundStatus
from assessments.selectors import scored_area
from assessments.snapshots import round_handbook
from surveys.selectors import participants_view

from .models import AreaFigures, RoundFigures


def round_changed(sender, round, **kwargs):  # noqa: A002 - the signal's argument
    """Receiver of assessments' `round_closed` and `round_reopened` (sent after commit)."""
    figures_refresh(round_id=round.pk)


@transaction.atomic
def figures_refresh(*, round_id: int) -> RoundFigures | None:
    """Bring the snapshot of a round in line with the round as it is now: its figures if it is
    closed, none if it is open (or gone); then mark the organisation's latest closed round.

    Safe to repeat, and in any order with other refreshes: it reads the round's status after
    taking the organisation's lock, so the last refresh to run sees the last change.
    """
    organisation_id = Round.objects.filter(pk=round_id).values_list("organisation_id", flat=True)
    organisation_id = organisation_id.first()
    if organisation_id is None:
        return None
    # Locked: the organisation's snapshots and their `latest` mark change one refresh at a time.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    round_ = Round.objects.get(pk=round_id)
    round_.organisation = organisation
    RoundFigures.objects.filter(round=round_).delete()
    figures = _snapshot(round_) if round_.status == RoundStatus.CLOSED else None
    _mark_latest(organisation)
    return figures


def _snapshot(round_: Round) -> RoundFigures:
    """The round's figures per key area, judged as its summary judges them (the checklist items
    it was answered on, the organisation's type); the participants' agreement where shown."""
    org_type = round_.organisation.org_type
    stored = {
        item_id: (value, carried)
        for item_id, value, carried in Answer.objects.filter(round=round_).values_list(
            "item_id", "value", "carried_over"
        )
    }
    participants = participants_view(round_)
    agreement = {
        area.key_area.pk: float(area.agreement)
        for area in (participants.areas if participants else [])
        if area.responses and area.agreement is not None
    }
    handbook = round_handbook(round_)
    results = [
        (area, scored_area(org_type, handbook.items_of(area.pk), stored))
        for area in handbook.key_areas()
    ]
    figures = RoundFigures.objects.create(
        round=round_,
        organisation=round_.organisation,
        closed_at=round_.closed_at or round_.created_at,  # rounds closed before the date was kept
        answered=sum(result.answered for _area, result in results),
        applicable=sum(result.applicable for _area, result in results),
    )
    AreaFigures.objects.bulk_create(
        AreaFigures(
            figures=figures,
            key_area=area,
            score=float(result.score) if result.score is not None else None,
            verdict=result.verdict or "",
            answered=result.answered,
            applicable=result.applicable,
            participants_agreement=agreement.get(area.pk),
        )
        for area, result in results
    )
    return figures


def _mark_latest(organisation: Organisation) -> None:
    """Mark the snapshot of the organisation's newest closed round (newest started, as
    "the previous round" counts) as the one that counts."""
    snapshots = RoundFigures.objects.filter(organisation=organisation)
    newest = (
        snapshots.order_by("-round__created_at", "-round_id").values_list("pk", flat=True).first()
    )
    snapshots.filter(latest=True).exclude(pk=newest).update(latest=False)
    if newest is not None:
        snapshots.filter(pk=newest, latest=False).update(latest=True)


def snapshot_missing() -> int:
    """Snapshot every closed round that has none (rounds closed before snapshots existed, or
    whose snapshot a failure lost); returns how many were made."""
    missing = Round.objects.filter(status=RoundStatus.CLOSED, figures__isnull=True)
    made = 0
    for round_id in missing.values_list("pk", flat=True).iterator():
        made += figures_refresh(round_id=round_id) is not None
    return made
