"""Organisations that share figures, made directly as snapshots (fast), and a round's answers."""

import pytest
from django.utils import timezone

from assessments.models import Answer, Organisation, Round, RoundStatus
from content.models import ChecklistItem, KeyArea
from peers.models import AreaFigures, RoundFigures
from tests.assessments.conftest import as_user, make_org, make_user, org  # noqa: F401


def shared_org(slug, score, *, org_type="local_authority", sharing="pool"):
    """An organisation of `org_type` with `sharing`, whose latest closed round scored `score`
    (0..1, or None: unfinished) in every key area: its snapshot written as a close writes it."""
    organisation = Organisation.objects.create(
        slug=slug, name=f"Peer {slug}", org_type=org_type, city="Cēsis", sharing=sharing
    )
    round_ = Round.objects.create(
        organisation=organisation,
        name="Closed",
        status=RoundStatus.CLOSED,
        closed_at=timezone.now(),
    )
    figures = RoundFigures.objects.create(
        round=round_,
        organisation=organisation,
        closed_at=round_.closed_at,
        latest=True,
        answered=10,
        applicable=10,
    )
    AreaFigures.objects.bulk_create(
        AreaFigures(
            figures=figures,
            key_area=area,
            score=score,
            verdict="improve" if score is not None else "",
            answered=10,
            applicable=10,
        )
        for area in KeyArea.objects.current()
    )
    return organisation


def answer_area(round_, number, value):
    """Every item of key area 5.`number` answered `value` in `round_`."""
    items = ChecklistItem.objects.current().filter(checklist__key_area__number=number)
    Answer.objects.bulk_create(
        Answer(round=round_, item=item, value=value, version=1) for item in items
    )


@pytest.fixture
def sharing_org(org):  # noqa: F811
    """The fixture organisation (a local authority), sharing in the pool."""
    org.sharing = "pool"
    org.save(update_fields=["sharing"])
    return org


__all__ = ["as_user", "make_org", "make_user", "org"]
