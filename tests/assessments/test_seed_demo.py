"""The demo data: logins printed, idempotent, and a round of the "each first, then agree" kind."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.consensus import round_comparison
from assessments.models import Answer, IndividualAnswer, Organisation, RoundStatus

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_an_agreed_individual_round_and_changes_nothing_when_run_again():
    first = _seed()
    assert first.count("login: ") == 7  # six members and the editor
    people = get_user_model().objects.all()
    assert len(people) == 8 and all(" " in person.first_name for person in people)
    municipality = Organisation.objects.get(slug="dzintarkrasta-pasvaldiba")
    round_ = municipality.rounds.get(mode="individual")
    assert round_.status == RoundStatus.CLOSED and round_.comparison_open
    assert IndividualAnswer.objects.filter(round=round_).values("user").distinct().count() == 3
    comparison = round_comparison(round_, with_agreed=True)
    assert comparison.most_disagreed()  # they disagree on some items
    assert 0 < comparison.overall.unanimous < comparison.overall.compared
    disagreed = comparison.most_disagreed(limit=100)
    assert all(spread.agreed and spread.agreed.reason for spread in disagreed)
    # The open round stays the organisation's latest.
    assert municipality.rounds.first().name == "2026 pavasaris"
    counts = (Answer.objects.count(), IndividualAnswer.objects.count())
    assert _seed() == first
    assert (Answer.objects.count(), IndividualAnswer.objects.count()) == counts


def test_seed_demo_shares_the_demo_organisations_and_compares_them_with_peers(
    django_capture_on_commit_callbacks,
):
    from peers.comparison import SHOWN, peer_figures
    from peers.models import RoundFigures

    with django_capture_on_commit_callbacks(execute=True):  # the snapshots follow the closes
        first = _seed()
    municipality = Organisation.objects.get(slug="dzintarkrasta-pasvaldiba")
    ngo = Organisation.objects.get(slug="biedriba-atvertas-durvis")
    assert (municipality.sharing, ngo.sharing) == ("pool", "network")
    peers = Organisation.objects.exclude(pk__in=[municipality.pk, ngo.pk])
    assert peers.count() >= 8
    assert {"local_authority", "ngo"} <= set(peers.values_list("org_type", flat=True))
    assert all(p.sharing == "pool" and not p.memberships.exists() for p in peers)
    figures = peer_figures(municipality)
    assert (figures.state, figures.group) == (SHOWN, "local_authority")
    assert len(figures.spreads) == 6
    assert len({round(s.median, 3) for s in figures.spreads.values()}) > 1  # varied answers
    assert peer_figures(ngo).state == SHOWN
    snapshots = RoundFigures.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert _seed() == first
    assert RoundFigures.objects.count() == snapshots and Organisation.objects.count() == 11
