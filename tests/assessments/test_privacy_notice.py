"""The privacy notice: in Latvian and English, replaceable by the operator, linked from every
page's footer, sign-up, invitations (page and e-mail) and the survey (short version)."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from assessments.models import Invitation, Role
from surveys import services as survey_services
from tests.dom import parse

pytestmark = pytest.mark.django_db


def _hrefs(response) -> set[str]:
    return {a.get("href") for a in parse(response).iter("a")}


@pytest.mark.parametrize(
    ("lang", "heading"), [("lv", "Privātuma paziņojums"), ("en", "Privacy notice")]
)
def test_the_notice_is_in_latvian_and_english(client, lang, heading):
    response = client.get(f"/{lang}/privacy/")
    assert response.status_code == 200
    page = parse(response)
    assert page.find(".//h1").text == heading
    headings = [h.text for h in page.iter("h2")]
    assert len(headings) >= 4  # who, what and how long, who sees it, rights
    assert f"/{lang}/accounts/export.json" in _hrefs(response)
    assert f"/{lang}/accounts/delete/" in _hrefs(response)


@override_settings(
    PRIVACY_OPERATOR_NAME="Example Hosting SIA", PRIVACY_CONTACT_EMAIL="dpo@example.lv"
)
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_notice_names_the_operator_and_the_contact(client, lang):
    response = client.get(f"/{lang}/privacy/")
    assert "Example Hosting SIA" in response.text
    assert "mailto:dpo@example.lv" in _hrefs(response)


def test_an_operator_replaces_the_text_with_a_template_of_their_own(client, settings, tmp_path):
    (tmp_path / "privacy").mkdir()
    (tmp_path / "privacy" / "notice_lv.html").write_text("<h1>Mūsu paziņojums</h1>")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        page = parse(client.get("/lv/privacy/"))
    assert page.find(".//h1").text == "Mūsu paziņojums"


@pytest.mark.parametrize("path", ["/lv/", "/en/", "/lv/accounts/login/"])
def test_every_page_links_the_notice_in_its_footer(client, path):
    page = parse(client.get(path))
    footer = page.find(".//footer")
    lang = path.split("/")[1]
    assert f"/{lang}/privacy/" in {a.get("href") for a in footer.iter("a")}


def test_sign_up_links_the_notice(client):
    assert "/lv/privacy/" in _hrefs(client.get(reverse("signup")))


def test_the_invitation_page_and_e_mail_link_the_notice(client, as_user, org):
    invitation = Invitation.objects.create(
        organisation=org, email="new@riga.example", role=Role.VIEWER
    )
    page = client.get(reverse("assessments:invitation", args=[invitation.token]))
    assert "/lv/privacy/" in [a.get("href") for a in parse(page).find(".//main").iter("a")]
    coordinator = as_user(org.people["coordinator"])
    coordinator.post(
        reverse("assessments:members", args=[org.slug]),
        {"email": "other@example.lv", "role": Role.VIEWER},
    )
    assert any(word.endswith("/lv/privacy/") for word in mail.outbox[-1].body.split())


def test_the_survey_links_its_short_notice_in_every_language(client, org):
    survey = survey_services.survey_create(
        round=org.round,
        key_areas=["ka1"],
        languages=["lv", "en", "uk", "ru", "ar"],
        user=org.people["coordinator"],
    )
    for lang in survey.languages:
        short = reverse("survey_privacy", args=[lang, survey.token])
        assert short in _hrefs(client.get(survey.public_path(lang)))
        response = client.get(short)
        assert response.status_code == 200
        assert response.headers["Content-Language"] == lang
        assert org.name in response.text
    with translation.override("uk"):
        assert (
            "Ваша приватність"
            in client.get(reverse("survey_privacy", args=["uk", survey.token])).text
        )


def test_the_short_notice_of_an_unknown_survey_is_not_found(client):
    assert client.get("/lv/survey/no-such-token/privacy/").status_code == 404
