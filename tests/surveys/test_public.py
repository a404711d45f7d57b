"""The survey as the people served see it: no account, five languages, nothing personal kept."""

import json
import logging
import re

import pytest
from django.test import override_settings

from core.logging import JsonFormatter
from surveys import services
from surveys.forms import field_name
from surveys.models import Agreement, Rating, Response, Survey
from surveys.selectors import survey_questions
from tests.dom import find, find_all, hrefs, in_language, lv, parse, text
from tests.surveys.conftest import LANGUAGES, add_responses

pytestmark = pytest.mark.django_db

CLIENT_ADDRESS = "203.0.113.77"
# A word of each language's page that English does not have.
SEND = "Send my answers"  # the submit button, in the page's language


def _answers(survey, value=Agreement.AGREE, **extra):
    statements, _open = survey_questions(survey)
    data = {field_name(q): str(value) for q in statements}
    data.update({"age_band": "", "gender": ""})
    data.update(extra)
    return data


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_visitor_answers_in_each_language_without_an_account(client, survey, lang):
    url = f"/{lang}/survey/{survey.token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    direction = "rtl" if lang == "ar" else "ltr"
    document = parse(page)
    assert (document.get("lang"), document.get("dir")) == (lang, direction)
    send = find(document, ".//form[@method='post']//button[@type='submit']")
    assert text(send) == in_language(lang, SEND)
    statements, _open = survey_questions(survey)
    assert statements[0].texts[lang] in html
    assert len(page.content) < 60_000
    assert page["Content-Language"] == lang
    response = client.post(url, _answers(survey, free_text="Vairāk valodu kursu."))
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/survey/{survey.token}/thanks/"
    thanks = client.get(response["Location"])
    assert parse(thanks).get("lang") == lang
    stored = Response.objects.get(survey=survey)
    assert stored.free_text == "Vairāk valodu kursu."
    assert stored.ratings.count() == len(statements)
    assert "_auth_user_id" not in client.session


def test_the_page_offers_every_language_of_the_survey_and_says_what_is_collected(client, survey):
    page = parse(client.get(f"/uk/survey/{survey.token}/"))
    for lang in LANGUAGES:
        assert f"/{lang}/survey/{survey.token}/" in hrefs(page)
    current = find(page, ".//a[@aria-current='true']")
    assert current.get("href") == f"/uk/survey/{survey.token}/" and text(current) == "українська"
    headings = [text(h) for h in page.iter() if h.tag in ("h2", "summary")]
    assert in_language("uk", "What we collect and who sees it") in headings
    fieldsets = find_all(page, ".//form//fieldset")
    assert len(fieldsets) == len(survey_questions(survey)[0]) + 2
    assert all(fieldset.find("legend") is not None for fieldset in fieldsets)


def test_every_statement_and_the_scale_are_in_the_pages_language(client, survey):
    html = client.get(f"/ar/survey/{survey.token}/").content.decode()
    for english in ("Strongly agree", "Don't know", "Prefer not to say", "Your age", "What we"):
        assert english not in html


def test_a_language_the_survey_does_not_offer_is_not_found(client, org):
    survey = services.survey_create(
        round=org.round, key_areas=["ka1"], languages=["lv", "uk"], user=org.people["coordinator"]
    )
    assert client.get(f"/uk/survey/{survey.token}/").status_code == 200
    assert client.get(f"/ar/survey/{survey.token}/").status_code == 404
    assert client.get(f"/de/survey/{survey.token}/").status_code == 404


def test_only_the_chosen_key_areas_are_asked(client, org):
    survey = services.survey_create(
        round=org.round, key_areas=["ka4"], languages=["en"], user=org.people["coordinator"]
    )
    statements, open_questions = survey_questions(survey)
    assert {q.key.split(".")[0] for q in statements} == {"ka4"}
    assert [q.key for q in open_questions] == ["open.p1"]
    html = client.get(f"/en/survey/{survey.token}/").content.decode()
    assert "I have been asked how the services could be better." in html
    assert "I got clear information" not in html


def test_a_replaced_link_stops_working(client, survey):
    old = survey.token
    services.survey_replace_link(survey=survey)
    assert client.get(f"/lv/survey/{old}/").status_code == 404
    assert client.post(f"/lv/survey/{old}/", _answers(survey)).status_code == 404
    assert client.get(f"/lv/survey/{survey.token}/").status_code == 200
    assert not Response.objects.exists()


def test_a_closed_survey_takes_no_answers(client, survey):
    services.survey_set_open(survey=survey, is_open=False)
    page = parse(client.get(f"/ru/survey/{survey.token}/"))
    assert text(find(page, ".//h1")) == in_language("ru", "This survey is closed")

    client.post(f"/ru/survey/{survey.token}/", _answers(survey))
    assert not Response.objects.exists()


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[31m"])
def test_control_characters_are_refused_with_a_message(client, survey, text):
    response = client.post(f"/en/survey/{survey.token}/", _answers(survey, free_text=text))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers were not sent." in html
    assert "characters" in html
    assert not Response.objects.exists()


def test_control_characters_are_refused_in_the_pages_language(client, survey):
    response = client.post(f"/uk/survey/{survey.token}/", _answers(survey, free_text="x\x07"))
    assert "керівні символи" in response.content.decode()


def test_an_empty_response_is_refused(client, survey):
    statements, _open = survey_questions(survey)
    response = client.post(f"/lv/survey/{survey.token}/", {"age_band": "", "gender": ""})
    assert response.status_code == 400
    assert lv("Answer at least one question.") in text(parse(response))
    assert not Response.objects.exists()


def test_a_value_outside_the_scale_is_refused(client, survey):
    statements, _open = survey_questions(survey)
    data = _answers(survey)
    data[field_name(statements[0])] = "9"
    assert client.post(f"/en/survey/{survey.token}/", data).status_code == 400
    assert not Response.objects.exists()


def test_only_the_answered_statements_are_stored(client, survey):
    statements, _open = survey_questions(survey)
    client.post(
        f"/en/survey/{survey.token}/",
        {field_name(statements[0]): "0", field_name(statements[1]): "5", "gender": "woman"},
    )
    response = Response.objects.get()
    assert sorted(response.ratings.values_list("value", flat=True)) == [0, 5]
    assert (response.gender, response.age_band) == ("woman", "")


def test_nothing_personal_is_stored():
    assert {f.name for f in Response._meta.get_fields()} == {
        "id",
        "survey",
        "age_band",
        "gender",
        "free_text",
        "free_text_hidden",
        "token",  # random, for the moderation links: says nothing about the person or arrival
        "ratings",
    }
    assert {f.name for f in Rating._meta.get_fields()} == {"id", "response", "question", "value"}
    survey_fields = {f.name for f in Survey._meta.get_fields()}
    assert not survey_fields & {"ip", "address", "email", "created_at", "submitted_at"}
    for model in (Response, Rating):
        for model_field in model._meta.get_fields():
            assert model_field.get_internal_type() not in (
                "DateTimeField",
                "DateField",
                "TimeField",
                "GenericIPAddressField",
            ), model_field.name


def test_the_logs_do_not_hold_the_address(client, survey, caplog):
    caplog.set_level(logging.DEBUG)
    url = f"/ar/survey/{survey.token}/"
    client.get(url, REMOTE_ADDR=CLIENT_ADDRESS)
    client.post(url, _answers(survey), REMOTE_ADDR=CLIENT_ADDRESS)
    client.post(url, _answers(survey, free_text="\x00"), REMOTE_ADDR=CLIENT_ADDRESS)
    client.get(f"/ar/survey/{survey.token}x/", REMOTE_ADDR=CLIENT_ADDRESS)
    assert caplog.records, "the requests were logged"
    formatter = JsonFormatter()
    for record in caplog.records:
        line = formatter.format(record)
        json.loads(line)
        assert CLIENT_ADDRESS not in line


@override_settings(SURVEY_SUBMISSIONS_PER_HOUR=2)
def test_submissions_are_limited_per_address_without_keeping_it(client, survey):
    from django.core.cache import cache

    url = f"/en/survey/{survey.token}/"
    for _ in range(2):
        assert client.post(url, _answers(survey), REMOTE_ADDR=CLIENT_ADDRESS).status_code == 302
    limited = client.post(url, _answers(survey), REMOTE_ADDR=CLIENT_ADDRESS)
    assert limited.status_code == 429
    assert "Too many answers" in limited.content.decode()
    assert client.post(url, _answers(survey), REMOTE_ADDR="198.51.100.2").status_code == 302
    assert Response.objects.count() == 3
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any(CLIENT_ADDRESS in key for key in keys)


def test_the_survey_page_costs_the_same_queries_whatever_the_responses(
    client, survey, django_assert_num_queries
):
    url = f"/lv/survey/{survey.token}/"
    client.get(url)
    with django_assert_num_queries(2):
        client.get(url)
    add_responses(survey, 12)
    with django_assert_num_queries(2):
        client.get(url)


def test_the_survey_page_works_without_javascript_and_loads_only_the_leave_prompt(client, survey):
    """A plain form that works without JavaScript; the one script (no htmx) only asks before
    a participant leaves with answers not yet sent."""
    html = client.get(f"/lv/survey/{survey.token}/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert html.count("<script") == 1 and len(scripts) == 1
    assert scripts[0].endswith("/js/app.js") and "htmx" not in html
    assert re.search(r'<form method="post" action="" data-unsaved>', html)
    assert 'type="submit"' in html


@override_settings(
    SURVEY_SUBMISSIONS_PER_HOUR=2,
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
)
def test_behind_the_proxy_each_participant_is_counted_apart(client, survey):
    """Every participant reaches the app through the proxy's address: the limit is per real
    client (the address the trusted proxy names), or one busy hour would lock everyone out."""
    url = f"/en/survey/{survey.token}/"
    for n in range(4):
        response = client.post(
            url, _answers(survey), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
        assert response.status_code == 302
    for _ in range(2):
        client.post(url, _answers(survey), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.9")
    limited = client.post(
        url, _answers(survey), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.9"
    )
    assert limited.status_code == 429
