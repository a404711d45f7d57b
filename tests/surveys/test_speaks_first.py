"""The survey speaks first: the link without a language opens it in the phone's language, the
page says it is anonymous and changes nothing for the person, the thank-you page says what
happens with the answers."""

import pytest

from surveys import services
from surveys.models import Survey
from surveys.selectors import preferred_language
from tests.dom import find, find_all, in_language, lv, parse, text
from tests.pdfs import page_texts
from tests.surveys.conftest import ALL_AREAS, LANGUAGES

pytestmark = pytest.mark.django_db

ASSURANCES = [
    "This survey is anonymous.",
    "Answering or not changes nothing in the support you receive or in your status.",
]
DEFAULT_NOTE = (
    "Once enough people have answered, the staff see the answers as totals, never one "
    "person's answers. They discuss the results when they review their work in this round, "
    "and decide what to improve."
)


@pytest.mark.parametrize(
    "header, offered, expected",
    [
        ("uk-UA,uk;q=0.9,en;q=0.8", LANGUAGES, "uk"),
        ("ru-RU", LANGUAGES, "ru"),
        ("ar-SY,ar;q=0.9", LANGUAGES, "ar"),
        ("en-GB,en;q=0.9", LANGUAGES, "en"),
        ("lv", LANGUAGES, "lv"),
        ("de-DE,de;q=0.9,ru;q=0.5", LANGUAGES, "ru"),  # the first one the survey has
        ("en;q=0.5,uk;q=0.9", LANGUAGES, "uk"),  # by weight, not by place
        ("de-DE,fr", LANGUAGES, "lv"),  # none of them: Latvian
        ("", LANGUAGES, "lv"),
        ("uk", ["lv", "ar"], "lv"),  # a language the survey does not offer
        ("de", ["en", "uk"], "en"),  # a survey without Latvian: its first language
        ("*", LANGUAGES, "lv"),
    ],
)
def test_preferred_language(header, offered, expected):
    assert preferred_language(header, offered) == expected


@pytest.mark.parametrize(
    "header, lang", [("uk-UA,uk;q=0.9", "uk"), ("ru", "ru"), ("ar", "ar"), ("en-US", "en")]
)
def test_the_link_without_a_language_opens_the_phones_language(client, survey, header, lang):
    response = client.get(f"/survey/{survey.token}/", headers={"accept-language": header})
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/survey/{survey.token}/"
    assert "Accept-Language" in response["Vary"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and parse(page).get("lang") == lang


def test_the_link_without_a_language_falls_back_to_latvian(client, survey):
    for headers in ({}, {"accept-language": "de-DE,fr;q=0.8"}):
        response = client.get(f"/survey/{survey.token}/", headers=headers)
        assert response["Location"] == f"/lv/survey/{survey.token}/"
    assert client.get("/survey/no-such-token/", follow=True).status_code == 404


@pytest.mark.pdf
def test_the_qr_code_poster_and_manage_page_carry_the_link_without_a_language(as_user, org, survey):
    coordinator = as_user(org.people["coordinator"])
    base = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    assert survey.public_path() == f"/survey/{survey.token}/"
    link = find(parse(coordinator.get(base)), ".//a[@data-survey-link]")
    assert link.get("href") == f"http://testserver/survey/{survey.token}/"
    poster = page_texts(coordinator.get(base + "poster.pdf").content)
    assert f"testserver/survey/{survey.token}/" in poster[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_says_it_is_anonymous_and_changes_nothing(client, survey, lang):
    page = parse(client.get(f"/{lang}/survey/{survey.token}/"))
    said = text(find(page, ".//*[@data-assurance]"))
    for msgid in ASSURANCES:
        assert in_language(lang, msgid) in said
    assert find(page, ".//*[@data-contact]") is None  # no contact given


def test_the_organisations_contact_is_on_the_survey_and_the_thank_you_page(client, org):
    survey = services.survey_create(
        round=org.round,
        key_areas=ALL_AREAS,
        languages=LANGUAGES,
        user=org.people["coordinator"],
        contact="Sociālais dienests, tālr. 6700 0000",
    )
    for url in (f"/uk/survey/{survey.token}/", f"/uk/survey/{survey.token}/thanks/"):
        contact = text(find(parse(client.get(url)), ".//*[@data-contact]"))
        assert contact.startswith(in_language("uk", "Questions about this survey:"))
        assert "Sociālais dienests, tālr. 6700 0000" in contact


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_thank_you_page_says_what_happens_and_links_to_nothing_that_tracks(
    client, survey, lang
):
    response = client.get(f"/{lang}/survey/{survey.token}/thanks/")
    page = parse(response)
    assert text(find(page, ".//*[@data-results-note]")) == in_language(lang, DEFAULT_NOTE)
    # Only the survey's own pages and files of the site itself: nothing from elsewhere.
    for element in page.iter():
        for attribute in ("href", "src", "action"):
            value = element.get(attribute)
            if value is not None:
                assert value.startswith(("/", "#")) and not value.startswith("//"), value
    for link in find_all(page, ".//a[@href]"):
        assert link.get("href").startswith(("#", f"/{lang}/survey/", "/survey/", "/", "#"))
        assert f"/survey/{survey.token}/" in link.get("href") or link.get("href") == "#main"


def test_the_coordinators_own_text_replaces_the_standard_one(client, org):
    survey = services.survey_create(
        round=org.round,
        key_areas=ALL_AREAS,
        languages=LANGUAGES,
        user=org.people["coordinator"],
        results_note="Rezultātus pārrunāsim\nsociālā dienesta sanāksmē jūnijā.",
    )
    page = parse(client.get(f"/ar/survey/{survey.token}/thanks/"))
    note = find(page, ".//*[@data-results-note]")
    assert note.get("dir") == "auto"
    assert "Rezultātus pārrunāsim" in text(note) and note.find("br") is not None


def test_the_coordinator_enters_the_contact_and_the_text_with_the_survey(as_user, org):
    client = as_user(org.people["coordinator"])
    url = f"/lv/org/{org.slug}/rounds/{org.round.pk}/survey/"
    form = parse(client.get(url))
    assert find(form, ".//input[@name='contact']") is not None
    assert find(form, ".//textarea[@name='results_note']") is not None
    assert lv("Contact for questions (optional)") in text(form)
    refused = client.post(url, {"key_areas": ["ka1"], "languages": ["lv"], "contact": "a\nb"})
    assert refused.status_code == 400 and not Survey.objects.exists()  # one line only
    response = client.post(
        url,
        {
            "key_areas": ["ka1"],
            "languages": ["lv", "uk"],
            "contact": "  info@dzintarkrasts.example ",
            "results_note": "Rezultāti – domes sēdē 12. jūnijā.",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get(round=org.round)
    assert survey.contact == "info@dzintarkrasts.example"
    assert survey.results_note == "Rezultāti – domes sēdē 12. jūnijā."
