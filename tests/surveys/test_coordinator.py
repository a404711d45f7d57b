"""The coordinator's side: create, share (link, QR code, poster), close, reopen, replace, hide."""

import io

import pytest
from pypdf import PdfReader

from surveys.models import Response, Survey
from tests.dom import find, lv, parse, text
from tests.pdfs import page_texts
from tests.surveys.conftest import ALL_AREAS, add_responses

pytestmark = pytest.mark.django_db


def _pages(org, survey_response=None):
    base = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    pages = [
        ("get", base, {}),
        ("post", base + "state/", {"change": "close"}),
        ("post", base + "texts/", {"contact": "Changed", "results_note": ""}),
        ("get", base + "qr.svg", {}),
        ("get", base + "poster.pdf", {}),
    ]
    if survey_response:
        pages.append(
            ("post", base + f"responses/{survey_response.token}/visibility/", {"hidden": "1"})
        )
    return pages


@pytest.fixture
def answered(survey):
    return add_responses(survey, 1, free_text="Paldies Annai!")[0]


def test_anonymous_visitors_are_sent_to_log_in(client, org, answered):
    for method, url, data in _pages(org, answered):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_another_organisations_coordinator_finds_nothing(as_user, org, other_org, answered):
    client = as_user(other_org.people["coordinator"])
    for method, url, data in _pages(org, answered):
        assert getattr(client, method)(url, data).status_code == 404, url


@pytest.mark.parametrize("role", ["viewer", "practitioner"])
def test_only_coordinators_manage_the_survey(as_user, org, answered, role):
    client = as_user(org.people[role])
    for method, url, data in _pages(org, answered):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Survey.objects.get().is_open
    assert Survey.objects.get().contact == ""


def test_the_coordinator_creates_a_survey_choosing_areas_and_languages(as_user, org):
    client = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    page = client.get(url)
    create = find(parse(page), ".//form[@class='panel']//button[@type='submit']")
    assert page.status_code == 200 and text(create) == lv("Create the survey")
    response = client.post(url, {"key_areas": ["ka1", "ka4"], "languages": ["ar", "lv"]})
    assert response.status_code == 302
    survey = Survey.objects.get(round=org.round)
    assert survey.key_areas == ["ka1", "ka4"]
    assert survey.languages == ["lv", "ar"]  # in the order of SURVEY_LANGUAGES
    html = client.get(url).content.decode()
    assert f"/lv/survey/{survey.token}/" in html and f"/ar/survey/{survey.token}/" in html
    assert f"/en/survey/{survey.token}/" not in html


def test_a_survey_needs_a_key_area_and_a_language(as_user, org):
    client = as_user(org.people["coordinator"])
    url = f"/en/org/{org.slug}/rounds/{org.round.pk}/survey/"
    assert client.post(url, {"key_areas": [], "languages": ["lv"]}).status_code == 400
    assert client.post(url, {"key_areas": ["ka1"], "languages": []}).status_code == 400
    assert not Survey.objects.exists()


def test_close_reopen_and_replace_the_link(as_user, org, survey, client):
    coordinator = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/state/"
    coordinator.post(url, {"change": "close"})
    assert not Survey.objects.get().is_open
    coordinator.post(url, {"change": "reopen"})
    assert Survey.objects.get().is_open
    old = survey.token
    coordinator.post(url, {"change": "replace"})
    new = Survey.objects.get().token
    assert new != old
    coordinator.logout()
    assert client.get(f"/en/survey/{old}/").status_code == 404
    assert client.get(f"/en/survey/{new}/").status_code == 200


def test_the_qr_code_is_an_svg_of_the_link(as_user, org, survey):
    response = as_user(org.people["coordinator"]).get(
        f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/qr.svg"
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert b"<title>" in response.content


@pytest.mark.pdf
def test_the_poster_is_one_a4_page_with_the_text_in_every_language(as_user, org, survey):
    response = as_user(org.people["coordinator"]).get(
        f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/poster.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    text = page_texts(response.content)[0]
    for phrase in ("Pastāstiet mums", "Tell us what you think", "Розкажіть нам", "Расскажите нам"):
        assert phrase in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Only our vendored DejaVu Sans: it has the Arabic glyphs, no system font was needed.
    assert all("Toolkit-Sans" in font for font in fonts), fonts


def test_the_coordinator_hides_a_free_text_once_free_texts_are_shown(as_user, org, survey):
    responses = add_responses(survey, 10, free_text="Jānis Bērziņš bija nelaipns.")
    client = as_user(org.people["coordinator"])
    base = f"/lv/org/{org.slug}/rounds/{org.round.pk}/"
    assert client.get(base + "summary/").content.decode().count("Jānis Bērziņš") == 10
    client.post(base + f"survey/responses/{responses[0].token}/visibility/", {"hidden": "1"})
    assert Response.objects.get(pk=responses[0].pk).free_text_hidden
    summary = client.get(base + "summary/").content.decode()
    assert summary.count("Jānis Bērziņš") == 9


def test_a_sequential_id_finds_no_response_to_hide(as_user, org, survey):
    response = add_responses(survey, 10, free_text="Teksts.")[0]
    client = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/responses/{response.pk}/visibility/"
    assert client.post(url, {"hidden": "1"}).status_code == 404
    assert not Response.objects.filter(free_text_hidden=True).exists()


def test_free_texts_are_not_listed_for_moderation_below_the_threshold(as_user, org, survey):
    add_responses(survey, 9, free_text="Maz atbilžu.")
    page = as_user(org.people["coordinator"]).get(
        f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    )
    assert "Maz atbilžu." not in page.content.decode()


def test_the_survey_page_of_the_round_costs_the_same_queries(
    as_user, org, survey, django_assert_num_queries
):
    client = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    add_responses(survey, 10, free_text="Viens.")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    add_responses(survey, 15, free_text="Divi.", gender="woman")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(before) == len(after) <= 14
    assert ALL_AREAS == survey.key_areas


def test_a_closed_rounds_survey_shows_closed_and_offers_no_reopening(as_user, org, survey):
    from assessments import services as round_services
    from tests.dom import find, find_all, parse

    round_services.round_close(round=org.round, user=org.people["coordinator"])
    page = parse(
        as_user(org.people["coordinator"]).get(f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/")
    )
    assert find(page, ".//*[@data-survey-state]").get("data-survey-state") == "closed"
    changes = {b.get("value") for b in find_all(page, ".//button[@name='change']")}
    assert changes == {"replace"}
    assert Survey.objects.get().is_open  # its own switch unchanged: the round decides


def test_the_coordinator_changes_the_contact_and_the_results_text_later(
    as_user, org, survey, client
):
    manage = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    coordinator = as_user(org.people["coordinator"])
    form = find(parse(coordinator.get(manage)), f".//form[@action='{manage}texts/']")
    assert form.find(".//input[@name='contact']").get("value") is None  # none entered yet
    response = coordinator.post(
        manage + "texts/",
        {"contact": "  Anna, +371 20 000 000 ", "results_note": "Rezultāti: maijā, domē."},
    )
    assert response.status_code == 302 and response["Location"] == manage
    survey.refresh_from_db()
    assert (survey.contact, survey.results_note) == (
        "Anna, +371 20 000 000",
        "Rezultāti: maijā, domē.",
    )
    form = find(parse(coordinator.get(manage)), f".//form[@action='{manage}texts/']")
    assert form.find(".//input[@name='contact']").get("value") == "Anna, +371 20 000 000"
    assert text(form.find(".//textarea[@name='results_note']")) == "Rezultāti: maijā, domē."
    # The people who answer see the new texts.
    client.logout()
    page = parse(client.get(f"/en/survey/{survey.token}/"))
    assert "Anna, +371 20 000 000" in text(find(page, ".//*[@data-contact]"))
    thanks = parse(client.get(f"/en/survey/{survey.token}/thanks/"))
    assert text(find(thanks, ".//*[@data-results-note]")) == "Rezultāti: maijā, domē."


@pytest.mark.parametrize(
    "data",
    [
        {"contact": "two\nlines", "results_note": ""},
        {"contact": "x" * 201, "results_note": ""},
        {"contact": "", "results_note": "a\x00b"},
    ],
)
def test_the_survey_texts_are_checked_on_the_server(as_user, org, survey, data):
    coordinator = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/texts/"
    response = coordinator.post(url, data)
    assert response.status_code == 400
    assert response.context["texts_form"].errors
    survey.refresh_from_db()
    assert (survey.contact, survey.results_note) == ("", "")


def test_the_survey_texts_of_a_round_without_a_survey_are_not_found(as_user, org):
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/texts/"
    response = as_user(org.people["coordinator"]).post(url, {"contact": "x"})
    assert response.status_code == 404
