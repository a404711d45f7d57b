"""Two submissions to one survey at once, on PostgreSQL: ids follow the order of commits.

The published figures are computed over the first responses in order of id; a response that
committed after one with a higher id would join a figure late and push another out.
"""

import threading

import pytest
from django.db import close_old_connections, transaction

from assessments import services as round_services
from surveys import services
from surveys.models import Agreement, Response
from surveys.selectors import survey_questions
from tests.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey(toolkit):
    from tests.assessments.conftest import make_org, make_user

    organisation = make_org("ogre")
    user = make_user("coordinator@ogre.example")
    round_ = round_services.round_start(organisation=organisation, name="R", user=user)
    return services.survey_create(round=round_, key_areas=["ka1"], languages=["lv"], user=user)


def _submit(survey):
    statements, _open = survey_questions(survey)
    return services.response_submit(survey=survey, ratings={q: Agreement.AGREE for q in statements})


def test_a_submission_waits_for_the_one_before_it_to_commit(survey):
    inserted, release = threading.Event(), threading.Event()
    order = []

    def slow():
        try:
            with transaction.atomic():
                response = _submit(survey)
                inserted.set()
                release.wait(10)
            order.append(("slow", response.pk))
        finally:
            close_old_connections()

    def fast():
        try:
            inserted.wait(10)
            response = _submit(survey)
            order.append(("fast", response.pk))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=slow), threading.Thread(target=fast)]
    for thread in threads:
        thread.start()
    inserted.wait(10)
    threads[1].join(timeout=1)  # without the lock, the second commits now, ahead of the first
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert [name for name, _pk in order] == ["slow", "fast"]
    assert order[0][1] < order[1][1]
    assert Response.objects.count() == 2
