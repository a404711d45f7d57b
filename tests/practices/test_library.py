"""The public good-practice library: filters, search, pages, HTMX, constant queries."""

import re
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import GoodPractice, KeyArea
from tests.conftest import lazy_loads_raise, postgres_only
from tests.dom import by_id, field, find, hrefs, parse
from tests.dom import text as text_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
LIBRARY = "/en/practices/"


def shown_keys(response) -> list[str]:
    return re.findall(r'<h3><a href="/(?:en|lv)/practices/([\w-]+)/">', response.text)


def published():
    return GoodPractice.objects.filter(retired=False, is_published=True)


def all_result_keys(client, query_string: str, lang: str = "en") -> set[str]:
    """Every key over all pages of a library URL."""
    keys, page = set(), 1
    while True:
        response = client.get(f"/{lang}/practices/?{query_string}&page={page}")
        assert response.status_code == 200
        keys |= set(shown_keys(response))
        if 'rel="next"' not in response.text:
            return keys
        page += 1


def plain(text: str) -> str:
    """Lower case without diacritics, as the search compares."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )


def test_library_lists_every_published_example_twelve_per_page(client):
    response = client.get(LIBRARY)
    assert response.status_code == 200
    total = published().count()
    assert total >= 60
    assert response.context["page"].paginator.count == total
    assert text_of(by_id(parse(response), "result-count")).startswith(f"{total} examples found.")
    assert len(shown_keys(response)) == 12
    assert all_result_keys(client, "") == set(published().values_list("key", flat=True))


def test_library_is_public_and_in_both_languages(client):
    lv = client.get("/lv/practices/")
    en = client.get(LIBRARY)
    assert lv.status_code == en.status_code == 200
    assert parse(lv).get("lang") == "lv" and parse(en).get("lang") == "en"
    example = published().get(key="ravenna-intercultural-immigration-network")
    assert example.title_en in client.get(LIBRARY + "?q=Ravenna").text
    assert example.title_lv in client.get("/lv/practices/?q=Ravenna").text


def test_filters_combine_and_every_result_matches_them(client):
    query = "area=ka4&actor=local_authority"
    expected = set(
        published()
        .filter(key_area__key="ka4", actor="local_authority")
        .values_list("key", flat=True)
    )
    assert expected and all_result_keys(client, query) == expected
    query = "factor=ka2.sf1&country=GR"
    expected = set(
        published()
        .filter(success_factor__key="ka2.sf1", country="GR")
        .values_list("key", flat=True)
    )
    assert expected and all_result_keys(client, query) == expected


def test_filters_and_search_combine(client):
    keys = all_result_keys(client, "q=Ravenna&area=ka4&country=IT")
    assert keys == {"ravenna-intercultural-immigration-network"}
    assert all_result_keys(client, "q=Ravenna&area=ka1") == set()


def test_the_filter_state_is_in_the_form_so_a_link_reproduces_the_result(client):
    page = parse(client.get(LIBRARY + "?area=ka4&country=IT&q=focus"))
    for name, value in (("area", "ka4"), ("country", "IT")):
        assert find(page, f".//select[@name='{name}']//option[@selected]").get("value") == value
    filters = find(page, ".//form[@class='library-filters']")
    assert field(filters, "q").get("value") == "focus"
    assert "/en/practices/" in hrefs(filters)  # clear all filters


def test_no_results_says_so_helpfully(client):
    response = client.get(LIBRARY + "?area=ka1&country=TR&actor=business")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert text_of(by_id(parse(response), "result-count")) == "0 examples found."
    assert find(parse(response), ".//div[@class='no-results']") is not None


def test_htmx_gets_only_the_results_and_a_clean_url_to_share(client):
    response = client.get(LIBRARY + "?q=&area=ka4&factor=&country=&actor=", headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    page = parse(response)
    assert find(page, ".//*[@class='example-card']") is not None
    assert by_id(page, "result-count").get("hx-swap-oob") == "innerHTML"
    assert response["HX-Push-Url"] == "/en/practices/?area=ka4"
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        LIBRARY + "?area=ka4", headers={**HX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_pagination_keeps_the_filters_and_bad_page_numbers_are_harmless(client):
    response = client.get(LIBRARY + "?actor=local_authority")
    assert "/en/practices/?actor=local_authority&page=2" in hrefs(parse(response))
    for page in ("abc", "999", "-1", "0"):
        assert client.get(LIBRARY + f"?actor=local_authority&page={page}").status_code == 200


@pytest.mark.parametrize(
    "query_string",
    ["area=ka99", "factor=nope", "country=XX", "actor=king", "area=ka4&area=%00"],
)
def test_invalid_filter_values_are_reported_and_ignored(client, query_string):
    response = client.get(LIBRARY + "?" + query_string)
    assert response.status_code == 200
    errors = [error for errors in response.context["form"].errors.values() for error in errors]
    assert any(error.startswith("Select a valid choice") for error in errors)
    assert len(shown_keys(response)) == 12  # the invalid filter is left out, not an error


def test_unpublished_and_retired_examples_are_neither_listed_nor_shown(client):
    hidden = published().get(key="ravenna-intercultural-immigration-network")
    hidden.is_published = False
    hidden.save()
    retired = published().get(key="hameenlinna-myintegration-website")
    retired.retired = True
    retired.save()
    keys = all_result_keys(client, "")
    assert hidden.key not in keys and retired.key not in keys
    for key in (hidden.key, retired.key):
        assert client.get(reverse("practices:example", args=[key])).status_code == 404


# --- search --------------------------------------------------------------------------------


@postgres_only
def test_unaccented_latvian_search_finds_words_with_diacritics(client):
    with_word = {
        p.key
        for p in published()
        if re.search(r"\bbērni\b", f"{p.title_lv} {p.body_lv}", re.IGNORECASE)
    }
    assert with_word
    keys = all_result_keys(client, "q=berni", lang="lv")
    assert with_word <= keys
    for practice in published().filter(key__in=keys):
        assert "bern" in plain(f"{practice.title_lv} {practice.body_lv} {practice.place}")
    assert all_result_keys(client, "q=bērni", lang="lv") == keys


@postgres_only
def test_search_ignores_latvian_and_english_endings(client):
    # "bērniem" (to children) and "bērnu" (of children) find the same examples as "bērni".
    assert all_result_keys(client, "q=bērniem", lang="lv") == all_result_keys(
        client, "q=bērnu", lang="lv"
    )
    refugees = all_result_keys(client, "q=refugees")
    assert refugees == all_result_keys(client, "q=refugee")


@postgres_only
def test_search_ranks_title_matches_first(client):
    response = client.get(LIBRARY + "?q=Ravenna")
    assert shown_keys(response)[0] == "ravenna-intercultural-immigration-network"


@postgres_only
def test_search_supports_phrases_or_and_exclusion(client):
    phrase = all_result_keys(client, "q=" + '"focus groups"')
    assert "ravenna-intercultural-immigration-network" in phrase
    either = all_result_keys(client, "q=Ravenna or Oslo")
    assert {"ravenna-intercultural-immigration-network", "oslo-weekly-meetings-minority-ngos"} <= (
        either
    )
    without = all_result_keys(client, "q=Ravenna -Oslo")
    assert "oslo-weekly-meetings-minority-ngos" not in without


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced quote',
        "' OR 1=1 --",
        "a & b | !c (d) <e> :* \\",
        "-",
        "or or or",
        "!!!",
        "%_%",
        "\x00",
        "Ravenna " * 1250,  # 10,000 characters
        "ā" * 10_000,
    ],
)
def test_any_search_text_gives_a_sensible_page_never_an_error(client, query):
    for headers in ({}, HX):
        response = client.get(LIBRARY, {"q": query}, headers=headers)
        assert response.status_code == 200
        assert "examples found." in response.text or "example found." in response.text


def test_a_very_long_search_is_cut_to_the_limit(client):
    response = client.get(LIBRARY, {"q": "Ravenna " * 1250})
    assert response.status_code == 200
    value = re.search(r'name="q" value="([^"]*)"', response.text).group(1)
    assert len(value) <= 200


# --- the example page ----------------------------------------------------------------------


def test_example_page_shows_the_example_and_what_it_illustrates(client):
    example = GoodPractice.objects.select_related("key_area", "success_factor").get(
        key="ravenna-intercultural-immigration-network"
    )
    response = client.get(reverse("practices:example", args=[example.key]).replace("/lv/", "/en/"))
    assert response.status_code == 200
    text = response.text
    page = parse(response)
    assert text_of(by_id(page, "example-title")) == example.title_en
    assert "Ravenna, Italy" in text and "Local authority" in text
    assert "Intercultural Immigration Network" in text
    links = hrefs(page)
    assert f"/en/key-areas/4/#{example.success_factor.key}" in links
    assert "/en/key-areas/4/" in links
    assert any(href.endswith(f"?factor={example.success_factor.key}") for href in links)
    related = re.findall(r'<li><a href="/en/practices/([\w-]+)/">', text)
    assert related and example.key not in related
    for key in related:
        other = GoodPractice.objects.get(key=key)
        assert (
            other.success_factor_id == example.success_factor_id
            or other.key_area_id == example.key_area_id
        )


def test_example_page_lists_the_examples_links(client):
    example = GoodPractice.objects.get(key="hameenlinna-myintegration-website")
    assert example.links
    response = client.get(f"/en/practices/{example.key}/")
    page = parse(response)
    for link in example.links:
        assert find(page, f".//a[@href='{link}']").get("rel") == "noopener"


def test_unknown_example_is_404(client):
    assert client.get("/en/practices/no-such-example/").status_code == 404


def test_key_area_page_links_each_example_to_its_page(client):
    response = client.get("/en/key-areas/4/")
    examples = published().filter(key_area__number=4)
    links = hrefs(parse(response))
    for example in examples:
        assert f"/en/practices/{example.key}/" in links


# --- queries -------------------------------------------------------------------------------


def _count(client, path, headers=None):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as queries:
        assert client.get(path, headers=headers or {}).status_code == 200
    return len(queries)


def _more_examples(n=30):
    area = KeyArea.objects.get(key="ka2")
    factor = area.success_factors.first()
    for index in range(n):
        GoodPractice.objects.create(
            key=f"extra-{index}",
            key_area=area,
            success_factor=factor,
            title_lv=f"Piemērs {index}",
            title_en=f"Example {index}",
            body_lv="Teksts par bērniem",
            body_en="Text about children",
            actor="ngo",
            country=["LV", "EE", "LT"][index % 3],
        )


LIBRARY_QUERIES = 5  # content revision (cache key), success factors, countries, count, page


@pytest.mark.parametrize(
    "path", [LIBRARY, LIBRARY + "?area=ka2&actor=ngo", LIBRARY + "?q=children&page=2"]
)
def test_library_queries_are_constant(client, path):
    before = _count(client, path)
    _more_examples()
    after = _count(client, path)
    assert before == after == LIBRARY_QUERIES
    assert _count(client, path, HX) == LIBRARY_QUERIES
    # Anonymous readers then get the cached page: only the content revision's query.
    assert _count(client, path) == _count(client, path, HX) == 1


EXAMPLE_QUERIES = 4  # revision; the example with key area, factor, submitter; its links; related


def test_example_page_queries_are_constant(client):
    path = "/en/practices/ravenna-intercultural-immigration-network/"
    before = _count(client, path)
    _more_examples()
    assert _count(client, path) == before == EXAMPLE_QUERIES
