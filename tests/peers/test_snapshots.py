"""Snapshots: written when a round closes, gone when it reopens; the latest closed one counts."""

import io

import pytest
from django.core.management import call_command

from assessments import services
from assessments.models import RoundStatus
from peers.models import AreaFigures, RoundFigures
from tests.peers.conftest import answer_area

pytestmark = pytest.mark.django_db


def _close(round_, user, capture):
    with capture(execute=True):
        services.round_close(round=round_, user=user)


def test_closing_a_round_snapshots_its_figures(org, django_capture_on_commit_callbacks):
    answer_area(org.round, 1, "yes")
    answer_area(org.round, 2, "partly")
    _close(org.round, org.people["coordinator"], django_capture_on_commit_callbacks)
    figures = RoundFigures.objects.get(round=org.round)
    assert figures.latest and figures.organisation == org
    areas = {a.key_area.number: a for a in figures.areas.select_related("key_area")}
    assert len(areas) == 6
    assert (areas[1].score, areas[1].verdict) == (1.0, "comprehensive")
    assert (areas[2].score, areas[2].verdict) == (0.5, "improve")
    assert areas[3].score is None and areas[3].verdict == "" and areas[3].answered == 0
    assert areas[1].answered == areas[1].applicable > 0
    assert figures.answered == areas[1].answered + areas[2].answered


def test_reopening_removes_the_snapshot_and_the_earlier_round_counts_again(
    org, django_capture_on_commit_callbacks
):
    coordinator = org.people["coordinator"]
    answer_area(org.round, 1, "no")
    _close(org.round, coordinator, django_capture_on_commit_callbacks)
    later = services.round_start(organisation=org, name="Later", user=coordinator)
    answer_area(later, 1, "yes")
    _close(later, coordinator, django_capture_on_commit_callbacks)
    assert RoundFigures.objects.get(latest=True, organisation=org).round == later
    assert not RoundFigures.objects.get(round=org.round).latest

    with django_capture_on_commit_callbacks(execute=True):
        services.round_reopen(round=later, user=coordinator)
    assert not RoundFigures.objects.filter(round=later).exists()
    assert RoundFigures.objects.get(latest=True, organisation=org).round == org.round


def test_the_command_snapshots_closed_rounds_that_have_none(org):
    org.round.status = RoundStatus.CLOSED
    org.round.save(update_fields=["status"])  # closed before snapshots existed
    answer_area(org.round, 1, "yes")
    out = io.StringIO()
    call_command("peers_snapshot", stdout=out)
    assert "1" in out.getvalue()
    figures = RoundFigures.objects.get(round=org.round)
    assert figures.latest
    assert AreaFigures.objects.get(figures=figures, key_area__number=1).score == 1.0
    call_command("peers_snapshot", stdout=io.StringIO())  # again: nothing new
    assert RoundFigures.objects.count() == 1 and AreaFigures.objects.count() == 6
