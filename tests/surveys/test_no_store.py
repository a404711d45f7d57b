"""A participant's survey pages are kept by no browser or proxy (a shared device, a library
computer): every public survey response says `no-store`."""

import pytest
from django.utils.cache import get_max_age

from surveys.forms import field_name
from surveys.selectors import survey_questions

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and get_max_age(response) == 0


def test_the_survey_its_refusal_and_its_thanks_are_not_stored(client, survey):
    url = f"/lv/survey/{survey.token}/"
    assert _no_store(client.get(url))
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert _no_store(refused)
    statements, _open = survey_questions(survey)
    sent = client.post(url, {field_name(q): "4" for q in statements})
    assert sent.status_code == 302
    assert _no_store(sent)
    assert _no_store(client.get(f"/lv/survey/{survey.token}/thanks/"))


def test_a_closed_survey_is_not_stored(client, survey):
    survey.is_open = False
    survey.save()
    assert _no_store(client.get(f"/en/survey/{survey.token}/"))
