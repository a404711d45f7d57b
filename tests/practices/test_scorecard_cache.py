"""The practice scorecard is kept in the cache like the round's report: under the practice's
revision and the names it shows. Without mocks: a render that would fail (a PDF size limit
below any scorecard) shows whether a request renders or is served from the cache."""

import pytest
from django.urls import reverse

from tests.practices.conftest import rate

pytestmark = pytest.mark.django_db


@pytest.mark.pdf
def test_the_scorecard_is_rendered_once_until_the_practice_or_a_name_changes(
    as_user, practice, settings
):
    url = reverse("practices:practice_scorecard", args=[practice.organisation.slug, practice.pk])
    client = as_user(practice.organisation.people["viewer"])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    settings.PDF_MAX_HTML_CHARACTERS = 10  # from now on, any render fails (503)
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content  # from the cache
    rate(practice, practice.organisation.people["practitioner"], {"d1.q1.i1": "2"})
    assert client.get(url).status_code == 503  # the practice changed: rendered again
    settings.PDF_MAX_HTML_CHARACTERS = 3_000_000
    assert client.get(url).status_code == 200
    settings.PDF_MAX_HTML_CHARACTERS = 10
    rater = practice.organisation.people["practitioner"]
    rater.first_name = "Pārdēvēta Persona"
    rater.save()
    assert client.get(url).status_code == 503  # a name on it changed: rendered again
