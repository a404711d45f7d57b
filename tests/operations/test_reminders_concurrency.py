"""Two `housekeeping` runs at the same moment (cron and the compose service, say) on
PostgreSQL: each person still gets one e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Profile
from assessments.reminders import reminders_send
from tests.assessments.test_concurrency import run_together
from tests.conftest import postgres_only
from tests.operations.test_reminders import _everything_due

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_runs_at_once_send_each_person_one_email(toolkit, org, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.operations.mail.SlowBackend"}}
    _everything_due(org)
    for user in org.people.values():  # already there: their rows, not their creation, decide
        Profile.objects.create(user=user)
    now = timezone.now()
    results = run_together(lambda: reminders_send(now), lambda: reminders_send(now))
    assert [outcome for outcome, _counts in results] == ["ok", "ok"], results
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coordinator@riga.example",
        "practitioner@riga.example",
    ]
    assert sum(counts["sent"] for _outcome, counts in results) == 2
    assert reminders_send(now + timedelta(minutes=5)) == {"sent": 0, "failed": 0}
