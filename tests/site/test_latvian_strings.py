"""Latvian everywhere: Django's and axes' admin strings, the empty choice of select boxes,
statuses that agree with their noun, and the toolkit's not-applicable suggestion."""

import html
import json
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import ActionStatus, Membership, Role, RoundStatus
from content import models
from tests.assessments.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The visible text and attribute values of a page, without scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def admin_lv(admin_client):
    AccessAttempt.objects.create(
        user_agent="Firefox",
        ip_address="192.0.2.1",
        username="someone@example.org",
        http_accept="text/html",
        path_info="/lv/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    AccessLog.objects.create(
        user_agent="Firefox", ip_address="192.0.2.1", username="a@example.org", path_info="/"
    )
    return admin_client


def test_admin_index_names_the_axes_models_in_latvian(admin_lv):
    text = _text(admin_lv.get("/lv/admin/"))
    for latvian in [
        "Pieteikšanās drošība (Axes)",
        "Pieteikšanās mēģinājumi",
        "Pieteikšanās žurnāla ieraksti",
        "Neizdevušās pieteikšanās",
    ]:
        assert latvian in text
    for english in ["Access attempts", "Access logs", "Access failures", ">Axes<"]:
        assert english not in text


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_axes_admin_pages_are_latvian(admin_lv, model):
    text = _text(admin_lv.get(f"/lv/admin/axes/{model}/"))
    assert "Izvēlieties, ko labot:" in text
    assert "Atlasīt pēc lauka: Mēģinājuma laiks" in text
    for english in [
        "Access attempt",
        "access attempt",
        "access log",
        "access failure",
        "Attempt Time",
        "Filter by",
        "Select an option",
        "lai izmainītu",
    ]:
        assert english not in text


def test_axes_attempt_columns_and_form_are_latvian(admin_lv):
    text = _text(admin_lv.get("/lv/admin/axes/accessattempt/"))
    for latvian in ["IP adrese", "Pārlūkprogramma (User-Agent)", "Lietotājvārds", "Ceļš"]:
        assert latvian in text
    for english in ["IP Address", "User Agent", "Username", "Failed Logins", "Path<"]:
        assert english not in text
    attempt = AccessAttempt.objects.get()
    text = _text(admin_lv.get(f"/lv/admin/axes/accessattempt/{attempt.pk}/change/"))
    for latvian in ["Veidlapas dati", "Metadati", "Neizdevušās pieteikšanās", "GET dati"]:
        assert latvian in text
    for english in ["Form Data", "Meta Data", "Failed Logins", "GET Data"]:
        assert english not in text


def test_our_admin_titles_read_right_in_latvian(admin_lv):
    practice = models.GoodPractice.objects.first()
    change = _text(admin_lv.get(f"/lv/admin/content/goodpractice/{practice.pk}/change/"))
    assert "<title>" in change and "Labot: labās prakses piemērs" in change
    assert "Labot labās prakses piemērs" not in change
    add = _text(admin_lv.get("/lv/admin/content/goodpractice/add/"))
    assert "Pievienot: labās prakses piemērs" in add
    assert "Pievienot labās prakses piemērs" not in add
    assert "- Izvēlieties -" in add and "Select an option" not in add
    changelist = _text(admin_lv.get("/lv/admin/content/goodpractice/"))
    assert "Izvēlieties, ko labot: labās prakses piemērs" in changelist
    assert "Dzēst atlasītos: labās prakses piemēri" in changelist
    assert "Atlasīt labās prakses piemērs" not in changelist


def test_the_message_after_saving_in_the_admin_is_latvian(admin_lv):
    page = models.Page.objects.get(key="foreword")
    url = reverse("admin:content_page_change", args=[page.pk])
    form = {
        "title_lv": page.title_lv,
        "title_en": page.title_en,
        "body_lv": page.body_lv,
        "body_en": page.body_en,
        "order": page.order,
    }
    response = admin_lv.post(url, form, follow=True)
    assert response.status_code == 200
    text = _text(response)
    message = re.sub(r"<[^>]+>", "", re.search(r'class="success">(.*?)</li>', text)[1])
    assert message == "Ieraksts “Priekšvārds” (lapa) ir saglabāts."
    assert "tika sekmīgi mainīts" not in text


def test_the_public_organisation_form_offers_a_latvian_empty_choice(as_user):
    client = as_user(make_user("new@example.org"))
    text = _text(client.get("/lv/org/new/"))
    assert '<option value="" selected>- Izvēlieties -</option>' in text
    assert "Select an option" not in text
    assert "- Select an option -" in _text(client.get("/en/org/new/"))


def test_statuses_agree_with_their_noun_in_latvian():
    with translation.override("lv"):
        assert str(RoundStatus.OPEN.label) == "Atvērta"  # kārta (feminine)
        assert str(RoundStatus.CLOSED.label) == "Slēgta"
        assert str(ActionStatus.OPEN.label) == "Atvērts"  # pasākums (masculine)
        assert str(ActionStatus.DONE.label) == "Paveikts"
    with translation.override("en"):
        assert str(RoundStatus.OPEN.label) == str(ActionStatus.OPEN.label) == "Open"


def test_presets_are_shown_as_the_toolkits_suggestion_not_the_handbooks(as_user):
    organisation = make_org("ngo-riga", org_type="ngo")
    user = make_user("coordinator@ngo.example")
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    round_ = services.round_start(organisation=organisation, name="2026", user=user)
    client = as_user(user)
    url = reverse("assessments:area", args=[organisation.slug, round_.pk, 3])
    text = _text(client.get(url))
    assert "Rīka ieteikums organizācijas veidam “Pilsoniskās sabiedrības organizācija" in text
    assert "Rokasgrāmatā tas nav noteikts — jūs varat atbildēt citādi." in text
    english = _text(client.get(url.replace("/lv/", "/en/", 1)))
    assert "The toolkit's suggestion for the type of organisation" in english
    assert "The handbook does not say so; you can answer differently." in english


def test_editors_see_the_preset_as_the_toolkits_suggestion(admin_client):
    item = models.ChecklistItem.objects.get(key="ka3.c1.i02")
    text = _text(admin_client.get(f"/lv/admin/content/checklistitem/{item.pk}/change/"))
    assert "Rīka ieteikums: parasti neattiecas uz" in text  # the admin capitalises the label
    assert "Rīka ieteikums, nevis rokasgrāmatas norāde" in text


def test_the_admin_speaks_djangos_latvian_where_our_wording_shares_its_msgid(admin_client):
    """Our "Action", "Action:" and "Change" (of the action plan and of a score) have contexts,
    so the admin's action box and its index links are not worded as our pages are."""
    index = _text(admin_client.get("/lv/admin/"))
    assert ' class="changelink"' in index
    assert re.findall(r'class="changelink"[^>]*>([^<]*)<', index)[0] == "Labot"
    assert "Izmaiņas" not in index
    changelist = _text(admin_client.get("/lv/admin/content/goodpractice/"))
    assert "<label>Darbība: <select" in changelist
    assert "Pasākums" not in changelist
    # Through variables, so that makemessages does not take this test for a source.
    ours = [("action plan", "Action", "Pasākums"), ("action plan", "Action:", "Pasākums:")]
    ours.append(("score change", "Change", "Izmaiņas"))
    admins = [("Action:", "Darbība:"), ("Action", "Darbība"), ("Change", "Labot")]
    with translation.override("lv"):
        for context, msgid, latvian in ours:
            assert translation.pgettext(context, msgid) == latvian
        for msgid, latvian in admins:
            assert translation.gettext(msgid) == latvian


def test_the_link_rows_offer_to_add_another_link_in_good_latvian(admin_client):
    practice = models.GoodPractice.objects.first()
    page = admin_client.get(f"/lv/admin/content/goodpractice/{practice.pk}/change/")
    formsets = [
        json.loads(html.unescape(data))
        for data in re.findall(r'data-inline-formset="([^"]*)"', page.content.decode())
    ]
    add_texts = [formset["options"]["addText"] for formset in formsets]
    # The admin capitalises the model's name, so the name comes first.
    assert "Saite: pievienot vēl vienu" in add_texts
    assert not [text for text in add_texts if "Pievienot vēl" in text]
