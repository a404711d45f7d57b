import io
import re

import pytest
from django.core.management import call_command

from assessments.models import Round
from surveys.models import Response, Survey
from surveys.selectors import participants_view

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_surveys_once_and_prints_the_open_one(client):
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--force", stdout=first)
    counts = (Survey.objects.count(), Response.objects.count())
    texts = list(Survey.objects.order_by("pk").values_list("contact", "results_note"))
    call_command("seed_demo", "--force", stdout=second)
    assert (Survey.objects.count(), Response.objects.count()) == counts
    # Each demo survey says whom to ask and what happens with the answers (one text for every
    # language of the survey, the organisation's Latvian), and a second run keeps them.
    assert texts == list(Survey.objects.order_by("pk").values_list("contact", "results_note"))
    for contact, results_note in texts:
        assert "koordinatore" in contact and "Rezultātus" in results_note
    lines = [line for line in first.getvalue().splitlines() if line.startswith("survey: ")]
    assert lines == [line for line in second.getvalue().splitlines() if line.startswith("survey:")]
    path = re.fullmatch(r"survey: (/lv/survey/[\w-]+/)", lines[0]).group(1)
    page = client.get(path)
    assert page.status_code == 200 and texts[-1][0] in page.content.decode()
    rounds = Round.objects.filter(organisation__slug="dzintarkrasta-pasvaldiba")
    open_view = participants_view(rounds.get(status="open"))
    # The latest closed round ("2025 rudens"; the "each first" demo round is older).
    closed_view = participants_view(rounds.filter(status="closed").latest("created_at"))
    assert 0 < open_view.received and not open_view.shown and not open_view.free_texts
    assert closed_view.shown and closed_view.areas and closed_view.free_texts
