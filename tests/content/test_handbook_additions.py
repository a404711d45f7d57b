"""The handbook's texts beyond the chapters: acknowledgements, colophon, the section-5 preamble
with its footnote, the quality table's introduction and source credit; no print page numbers."""

import re

import pytest
from django.db import models as db_models

from content import models
from tests.dom import find, find_all, hrefs, lv, parse
from tests.dom import text as text_of

pytestmark = pytest.mark.django_db

NEW_PAGES = ["acknowledgements", "colophon", "key-areas", "quality-intro", "quality-source"]


@pytest.mark.parametrize("key", NEW_PAGES)
def test_loading_the_data_files_creates_the_page_in_both_languages(key):
    page = models.Page.objects.current().get(key=key)
    assert page.title_lv and page.title_en and page.title_lv != page.title_en
    assert page.body_lv and page.body_en and page.body_lv != page.body_en


def test_acknowledgements_name_the_authors_and_the_coordinators_of_the_seven_countries():
    page = models.Page.objects.get(key="acknowledgements")
    for name in ["Carmine Conte", "Alexander Wolffhardt", "Bistra Ivanova", "Group 484"]:
        assert name in page.body_en
    for name in ["Karmine Konte", "Bistrai Ivanovai", "Grupa 484", "ELIAMEP"]:
        assert name in page.body_lv
    assert "Bulgārijas, Somijas, Grieķijas, Itālijas, Maltas, Polijas un Serbijas" in page.body_lv


def test_colophon_states_what_the_handbook_states():
    page = models.Page.objects.get(key="colophon")
    for body in (page.body_lv, page.body_en):
        for text in ["© UNHCR/Will Swanson", "© UNHCR/Andrew McConnell", "dagmarvanschaik.nl"]:
            assert text in body
    assert "Migrācijas politikas grupu (MPG)" in page.body_lv
    assert "Migration Policy Group (MPG)" in page.body_en


def test_the_key_areas_preamble_carries_its_footnote_in_both_languages():
    page = models.Page.objects.get(key="key-areas")
    url = "https://www.unhcr.org/excom/exconc/4357a91b2/conclusion-local-integration.html"
    assert "divvirzienu process" in page.body_lv and "[^1]" in page.body_lv
    assert "[^1]: UNHCR Izpildkomitejas secinājums par vietējo integrāciju Nr. 104" in page.body_lv
    assert "[^1]: UNHCR Executive Committee Conclusion on Local Integration No. 104" in (
        page.body_en
    )
    assert url in page.body_lv and url in page.body_en


def _loaded_texts():
    """Every text field of every handbook record, as loaded into the database."""
    for model in [
        models.Page,
        models.KeyArea,
        models.Benefit,
        models.SuccessFactor,
        models.Checklist,
        models.ChecklistItem,
        models.GoodPractice,
        models.FurtherReading,
        models.GeneralChecklistItem,
        models.QualityDomain,
        models.GuidingQuestion,
        models.Indicator,
        models.GlossaryTerm,
        models.Testimonial,
    ]:
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, db_models.CharField | db_models.TextField)
        ]
        for row in model.objects.values(*fields):
            for name, value in row.items():
                if value:
                    yield f"{model.__name__}.{name}", value


def test_no_print_page_references_remain_in_the_loaded_content():
    texts = list(_loaded_texts())
    assert len(texts) > 900
    latvian = [(where, t[:80]) for where, t in texts if re.search(r"\d+\. ?lpp\.", t)]
    english = [(where, t[:80]) for where, t in texts if re.search(r"\bpp?\. ?\d+", t)]
    assert latvian == [] and english == []


def test_the_former_page_reference_links_to_the_quality_indicators(client):
    for lang in ("lv", "en"):
        text = client.get(f"/{lang}/handbook/how-it-works/").text
        assert f'<a href="/{lang}/quality-indicators/">' in text
        assert "68" not in text


@pytest.mark.parametrize(
    "lang, preamble, footnote",
    [
        (
            "lv",
            "Bēgļu integrācija ir dinamisks un sarežģīts divvirzienu process",
            "UNHCR Izpildkomitejas secinājums par vietējo integrāciju Nr. 104",
        ),
        (
            "en",
            "Refugee integration is a dynamic and complex two-way process",
            "UNHCR Executive Committee Conclusion on Local Integration No. 104",
        ),
    ],
)
def test_the_key_areas_page_shows_the_preamble_the_six_areas_and_the_footnote(
    client, lang, preamble, footnote
):
    text = client.get(f"/{lang}/handbook/key-areas/").text
    assert preamble in text
    assert '<a href="#fn-1" id="fnref-1">1</a>' in text
    assert '<li id="fn-1" value="1">' + footnote in text
    assert 'href="https://www.unhcr.org/excom/exconc/4357a91b2/' in text
    assert "[^1]" not in text
    # The six key areas come between the preamble's last sentence and the footnote.
    for area in models.KeyArea.objects.current():
        assert text.index(preamble) < text.index(area.get_absolute_url()) < text.index(footnote)


def test_the_key_areas_preamble_is_reachable_from_home_and_from_every_key_area(client):
    assert 'href="/lv/handbook/key-areas/"' in client.get("/lv/").text
    assert 'href="/lv/handbook/key-areas/"' in client.get("/lv/key-areas/5/").text


@pytest.mark.parametrize(
    "lang, intro, credit",
    [
        (
            "lv",
            "Lielākā daļa labās prakses metodiskajā līdzeklī ir izvēlēta",
            "pielāgots no MPG novērtēšanas tīkla iniciatīvas",
        ),
        (
            "en",
            "Most of the good practices in the toolkit were selected for their excellence",
            "initiative of the evaluation network of the Migration Policy Group (MPG)",
        ),
    ],
)
def test_the_quality_indicators_page_shows_the_introduction_and_the_source_credit(
    client, lang, intro, credit
):
    text = client.get(f"/{lang}/quality-indicators/").text
    assert intro in text and credit in text and "(SPRING)" in text
    assert 'href="https://www.integrationpractices.eu"' in text
    # Introduction first, then the five domains, then the credit.
    assert text.index(intro) < text.index('id="d1"') < text.index('id="d5"') < text.index(credit)


def test_an_edited_quality_introduction_shows_on_the_page(client):
    client.get("/en/quality-indicators/")  # cached
    page = models.Page.objects.get(key="quality-intro")
    page.body_en = "Edited introduction."
    page.save()
    assert "Edited introduction." in client.get("/en/quality-indicators/").text


def test_quality_texts_are_not_pages_of_their_own(client):
    response = client.get("/lv/handbook/quality-intro/")
    assert response.status_code == 302 and response["Location"] == "/lv/quality-indicators/"
    assert models.Page.objects.get(key="quality-source").get_absolute_url() == (
        "/lv/quality-indicators/"
    )


def footer_links(page):
    return [(a.get("href"), text_of(a)) for a in find_all(page, ".//footer//a")]


def test_acknowledgements_and_colophon_are_in_the_footer_not_among_the_chapters(client):
    page = parse(client.get("/lv/handbook/foreword/"))
    footer = [
        (a.get("href"), text_of(a)) for a in find_all(page, ".//footer[@class='site-footer']//a")
    ]
    assert ("/lv/handbook/acknowledgements/", lv("Acknowledgements")) in footer
    assert ("/lv/handbook/colophon/", lv("About this publication")) in footer
    aside = hrefs(find(page, ".//nav[@class='aside']"))
    for key in ["acknowledgements", "colophon", "quality-intro", "quality-source"]:
        assert f"/lv/handbook/{key}/" not in aside
    assert "/lv/handbook/key-areas/" in aside
    home = parse(client.get("/en/"))
    footer = [
        (a.get("href"), text_of(a)) for a in find_all(home, ".//footer[@class='site-footer']//a")
    ]
    assert ("/en/handbook/acknowledgements/", "Acknowledgements") in footer
    assert "dagmarvanschaik.nl" in client.get("/en/handbook/colophon/").text
    assert "Carmine Conte" in client.get("/en/handbook/acknowledgements/").text
