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
