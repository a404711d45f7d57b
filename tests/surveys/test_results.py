"""The participants' view beside the staff's: thresholds, agreement, gaps first, exports."""

import json

import pytest
from django.test import override_settings

from assessments.models import Answer, AnswerValue
from content.models import ChecklistItem
from surveys import services
from surveys.models import Agreement
from surveys.selectors import survey_questions
from tests.dom import by_id, parse, rows, text
from tests.pdfs import pdf_text
from tests.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


def _summary(client, org):
    return client.get(f"/en/org/{org.slug}/rounds/{org.round.pk}/summary/").content.decode()


def _participants(client, org):
    """The summary's section of the participants' view (None without a survey)."""
    return by_id(parse(_summary(client, org)), "participants")


def _free_texts(section):
    return [text(quote) for quote in section.findall(".//ul[@class='free-texts']/li")]


def _export(client, org):
    response = client.get(f"/en/org/{org.slug}/rounds/{org.round.pk}/export.json")
    return json.loads(response.content)["participants"]


def test_results_are_hidden_below_the_threshold(as_user, org, survey):
    add_responses(survey, 4, free_text="Not yet visible.")
    client = as_user(org.people["viewer"])
    section = _participants(client, org)
    assert text(section.find("p")).startswith("4 responses so far.")
    assert section.find(".//table") is None and _free_texts(section) == []
    assert "Not yet visible." not in _summary(client, org)
    assert _export(client, org) == {"received": 4, "responses": 0, "shown": False}


def test_results_are_shown_at_the_threshold(as_user, org, survey):
    add_responses(survey, 4, value=Agreement.AGREE, free_text="More language courses.")
    add_responses(survey, 1, value=Agreement.DISAGREE)
    client = as_user(org.people["viewer"])
    section = _participants(client, org)
    assert text(section.find("p")) == "5 responses so far."
    assert section.find(".//table[@class='data participants-table stack']") is not None
    assert _free_texts(section) == []  # free texts: from SURVEY_MIN_FREE_TEXTS (10)
    exported = _export(client, org)
    assert exported["responses"] == exported["received"] == 5 and exported["shown"] is True
    assert set(exported["key_areas"]) == {f"ka{n}" for n in range(1, 7)}
    assert exported["key_areas"]["ka1"] == {"responses": 5, "agreement": 0.8}


@override_settings(SURVEY_MIN_RESPONSES=2)
def test_the_threshold_is_a_setting(as_user, org, survey):
    add_responses(survey, 2)
    assert _export(as_user(org.people["viewer"]), org)["shown"] is True


def test_dont_know_does_not_count_and_an_area_without_answers_has_no_agreement(
    as_user, org, survey
):
    statements, _open = survey_questions(survey)
    for _ in range(5):
        services.response_submit(
            survey=survey,
            ratings={q: Agreement.DONT_KNOW if q.key.startswith("ka2") else 5 for q in statements},
        )
    exported = _export(as_user(org.people["viewer"]), org)["key_areas"]
    assert exported["ka2"] == {"responses": 0, "agreement": None}
    assert exported["ka1"] == {"responses": 5, "agreement": 1.0}


def test_gaps_where_the_staff_see_it_better_come_first(as_user, org, survey):
    # The staff answer every item of 5.3 Yes: score 100 %; participants agree 20 %.
    items = ChecklistItem.objects.current().filter(checklist__key_area__key="ka3")
    Answer.objects.bulk_create(
        Answer(round=org.round, item=item, value=AnswerValue.YES) for item in items
    )
    statements, _open = survey_questions(survey)
    for value in (5, 1, 1, 1, 1):
        services.response_submit(survey=survey, ratings={q: value for q in statements})
    table = _participants(as_user(org.people["viewer"]), org).find(".//table")
    first_row = table.find("tbody/tr")
    assert text(first_row.find("th")).startswith("5.3.")
    difference = first_row.findall("td")[-1].find("span")
    assert text(difference) == "Your score much higher (difference: 80 percentage points)"
    assert difference.get("data-gap-size") == "large"


def test_breakdowns_by_gender_only_for_groups_of_five(as_user, org, survey):
    add_responses(survey, 5, gender="woman", value=Agreement.AGREE)
    add_responses(survey, 5, gender="man", value=Agreement.DISAGREE)
    section = _participants(as_user(org.people["viewer"]), org)
    captions = [text(caption) for caption in section.iter("caption")]
    assert "Agreement over all statements by: Gender" in captions
    woman = rows(section)["Woman"]
    assert [text(cell) for cell in woman.findall("td")] == ["5", "100 %"]
    # Two more are in no published figure yet: the breakdown stays as it was, without them.
    add_responses(survey, 2, gender="other")
    section = _participants(as_user(org.people["viewer"]), org)
    groups = rows(section)
    assert [text(cell) for cell in groups["Woman"].findall("td")] == ["5", "100 %"]
    assert "Other" not in groups


def test_a_round_without_a_survey_exports_no_responses(as_user, org):
    assert _export(as_user(org.people["viewer"]), org) == {
        "received": 0,
        "responses": 0,
        "shown": False,
    }
    assert _participants(as_user(org.people["viewer"]), org) is None


def test_the_review_shows_the_participants_view_across_rounds(as_user, org, survey):
    add_responses(survey, 5, value=Agreement.STRONGLY_AGREE)
    html = as_user(org.people["viewer"]).get(f"/en/org/{org.slug}/review/").content.decode()
    assert "The participants' view across rounds" in html
    assert "100 %" in html


@pytest.mark.pdf
def test_the_pdf_report_shows_the_participants_view(as_user, org, survey):
    client = as_user(org.people["viewer"])
    url = f"/en/org/{org.slug}/rounds/{org.round.pk}/report.pdf"
    add_responses(survey, 4)
    text = pdf_text(client.get(url).content, "")
    assert "4 responses so far." in text
    add_responses(survey, 1)  # the cached report must not be served any more
    text = pdf_text(client.get(url).content, "")
    assert "5 responses so far." in text
    assert "agreement per key area" in text


def test_the_summary_costs_the_same_queries_whatever_the_responses(as_user, org, survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(org.people["viewer"])
    add_responses(survey, 5, free_text="One.", gender="woman")
    _summary(client, org)
    with CaptureQueriesContext(connection) as before:
        _summary(client, org)
    add_responses(survey, 20, free_text="Two.", gender="man", age_band="30-44")
    with CaptureQueriesContext(connection) as after:
        _summary(client, org)
    assert len(before) == len(after)
