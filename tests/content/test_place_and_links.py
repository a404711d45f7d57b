"""Places in each language and example links as rows: loaded from files old and new, exported
in the form the files use, shown on the pages, found by search."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from content import models
from content.toolkit_io import export_document
from tests.dom import find, hrefs, parse, text

pytestmark = pytest.mark.django_db

ATHENS = "kethea-athens-addiction-support-programme"
LINKED = "hameenlinna-myintegration-website"


def _practice_doc(document, key):
    return next(
        practice
        for area in document["key_areas"]
        for practice in area["good_practices"]
        if practice["key"] == key
    )


def _load(tmp_path, document, name="content.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())
    return path


# --- the content files ---------------------------------------------------------------------


def test_the_files_give_athens_its_latvian_name():
    practice = models.GoodPractice.objects.get(key=ATHENS)
    assert (practice.place_lv, practice.place_en) == ("Atēnas", "Athens")
    assert _practice_doc(export_document(), ATHENS)["place"] == {"lv": "Atēnas", "en": "Athens"}


def test_every_example_with_a_place_has_it_in_both_languages():
    with_place = models.GoodPractice.objects.exclude(place_lv="")
    assert with_place.count() == 38
    assert not with_place.filter(place_en="").exists()
    # Latvian names where Latvian has its own: not the English spelling.
    latvian = dict(with_place.values_list("place_en", "place_lv"))
    assert latvian["Warsaw"] == "Varšava" and latvian["Brussels"] == "Brisele"
    assert latvian["Gdańsk"] == "Gdaņska" and latvian["Malmö"] == "Malme"


def test_a_plain_string_place_still_loads_as_the_same_name_in_both_languages(tmp_path):
    document = export_document()
    _practice_doc(document, ATHENS)["place"] = "Athina"
    _load(tmp_path, document)
    practice = models.GoodPractice.objects.get(key=ATHENS)
    assert (practice.place_lv, practice.place_en) == ("Athina", "Athina")
    # Exported in the object form.
    assert _practice_doc(export_document(), ATHENS)["place"] == {"lv": "Athina", "en": "Athina"}


def test_an_example_without_a_place_exports_the_empty_string():
    document = export_document()
    assert _practice_doc(document, "finland-transition-meetings")["place"] == ""


@pytest.mark.parametrize(
    "place",
    [{"lv": "Atēnas"}, {"lv": "Atēnas", "en": "Athens", "de": "Athen"}, {"lv": 1, "en": "x"}, 7],
    ids=["no english", "unknown language", "not text", "a number"],
)
def test_a_malformed_place_is_refused_naming_the_example(tmp_path, place):
    document = export_document()
    _practice_doc(document, ATHENS)["place"] = place
    with pytest.raises(CommandError, match=f"broken.json.*{ATHENS}.*place"):
        _load(tmp_path, document, "broken.json")
    assert models.GoodPractice.objects.get(key=ATHENS).place_lv == "Atēnas"


def test_links_without_titles_export_as_plain_addresses_as_in_the_files():
    assert _practice_doc(export_document(), LINKED)["links"] == ["https://myintegration.fi"]
    link = models.PracticeLink.objects.get(practice__key=LINKED)
    assert (link.order, link.title_lv, link.title_en) == (0, "", "")


def test_a_link_with_a_title_loads_and_exports_as_an_object(tmp_path):
    document = export_document()
    titled = {
        "url": "https://www.hameenlinna.fi/en/",
        "title": {"lv": "Pilsētas tīmekļvietne", "en": "The city's website"},
    }
    _practice_doc(document, LINKED)["links"] = ["https://myintegration.fi", titled]
    _load(tmp_path, document)
    links = list(models.PracticeLink.objects.filter(practice__key=LINKED))
    assert [(link.order, link.url, link.title_lv) for link in links] == [
        (0, "https://myintegration.fi", ""),
        (1, "https://www.hameenlinna.fi/en/", "Pilsētas tīmekļvietne"),
    ]
    assert _practice_doc(export_document(), LINKED)["links"] == [
        "https://myintegration.fi",
        titled,
    ]
    # Loading the same again changes nothing; dropping a link removes its row.
    out = io.StringIO()
    call_command("load_toolkit", "--file", str(_load(tmp_path, document)), stdout=out)
    assert "0 created, 0 updated, 0 retired" in out.getvalue()
    _practice_doc(document, LINKED)["links"] = [titled]
    _load(tmp_path, document)
    assert list(
        models.PracticeLink.objects.filter(practice__key=LINKED).values_list("url", flat=True)
    ) == ["https://www.hameenlinna.fi/en/"]


@pytest.mark.parametrize(
    "link",
    [
        "ftp://example.org/",
        {"title": {"lv": "Bez adreses", "en": "No address"}},
        {"url": "https://example.org/", "title": "Only one language"},
        {"url": "https://example.org/", "label": {"lv": "a", "en": "b"}},
    ],
    ids=["not http", "no url", "title not translated", "unknown field"],
)
def test_a_malformed_link_is_refused(tmp_path, link):
    document = export_document()
    _practice_doc(document, LINKED)["links"] = [link]
    with pytest.raises(CommandError, match=f"broken.json.*{LINKED}.*links"):
        _load(tmp_path, document, "broken.json")


def test_round_trip_through_an_empty_database_gives_the_same_document(tmp_path):
    practice = models.GoodPractice.objects.get(key=LINKED)
    models.PracticeLink.objects.create(
        practice=practice,
        order=1,
        url="https://www.hameenlinna.fi/",
        title_lv="Pilsētas tīmekļvietne",
        title_en="The city's website",
    )
    first = export_document()
    assert isinstance(_practice_doc(first, LINKED)["links"][1], dict)
    models.PracticeLink.objects.all().delete()
    models.GoodPractice.objects.all().delete()
    _load(tmp_path, first)
    assert export_document() == first


def test_the_yaml_files_round_trip_unchanged_apart_from_the_object_form_of_places():
    """Old files stay valid: exporting what they loaded gives their links back as they are."""
    from django.conf import settings

    from content.toolkit_io import content_files, read_documents

    files = read_documents(content_files(settings.BASE_DIR / "content" / "data")).data
    exported = export_document()
    for area_file, area_db in zip(files["key_areas"], exported["key_areas"], strict=True):
        for in_file, in_db in zip(
            area_file["good_practices"], area_db["good_practices"], strict=True
        ):
            assert in_db["links"] == in_file["links"]
            assert in_db["place"] == in_file["place"]


# --- pages ---------------------------------------------------------------------------------


def test_example_page_shows_the_place_and_country_in_the_page_language(client):
    lv = client.get(f"/lv/practices/{ATHENS}/").text
    en = client.get(f"/en/practices/{ATHENS}/").text
    assert "Atēnas, Grieķija" in lv and "Athens" not in lv
    assert "Athens, Greece" in en


def test_library_and_key_area_pages_show_the_latvian_place(client):
    practice = models.GoodPractice.objects.get(key=ATHENS)
    for path in ("/lv/practices/?area=ka2", f"/lv/key-areas/{practice.key_area.number}/"):
        text = client.get(path).text
        assert "Atēnas, Grieķija" in text, path
        assert "Athens, Grieķija" not in text
    assert "Athens, Greece" in client.get("/en/practices/?area=ka2").text


def test_links_show_their_title_or_else_the_host_name(client):
    practice = models.GoodPractice.objects.get(key=LINKED)
    models.PracticeLink.objects.create(
        practice=practice,
        order=1,
        url="https://www.hameenlinna.fi/en/",
        title_lv="Pilsētas tīmekļvietne",
        title_en="The city's website",
    )
    for path in (f"/lv/practices/{LINKED}/", f"/lv/key-areas/{practice.key_area.number}/"):
        page = parse(client.get(path))
        untitled = find(page, ".//a[@href='https://myintegration.fi']")
        assert (untitled.get("rel"), text(untitled)) == ("noopener", "myintegration.fi")
        titled = find(page, ".//a[@href='https://www.hameenlinna.fi/en/']")
        assert (titled.get("rel"), text(titled)) == ("noopener", "Pilsētas tīmekļvietne")
    en = parse(client.get(f"/en/practices/{LINKED}/"))
    assert text(find(en, ".//a[@href='https://www.hameenlinna.fi/en/']")) == "The city's website"


@pytest.mark.parametrize(
    "language, query", [("lv", "Athens"), ("lv", "Atēnas"), ("en", "Atēnas"), ("en", "atenas")]
)
def test_library_search_finds_the_place_in_either_language(client, language, query):
    page = parse(client.get(f"/{language}/practices/", {"q": query}))
    assert f"/{language}/practices/{ATHENS}/" in hrefs(page)


@pytest.mark.parametrize("language, query", [("lv", "Athens"), ("en", "Atēnas")])
def test_handbook_search_finds_the_place_in_either_language(client, language, query):
    page = parse(client.get(f"/{language}/search/", {"q": query}))
    assert any(href.endswith(f"#{ATHENS}") for href in hrefs(page))
