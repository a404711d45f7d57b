"""A search that finds nothing says what to try and still leads somewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content import models
from content.selectors import search_suggestions
from tests.dom import by_id, find, hrefs, lv, lv_plural, parse, text

FEWER_WORDS = "Use fewer words: a result must contain every word you type."


def search_help(response):
    """The advice after a search that found nothing (None when there is none)."""
    return find(parse(response), ".//section[@class='search-help']")


pytestmark = pytest.mark.django_db


def test_an_empty_result_suggests_what_to_try(client):
    response = client.get("/lv/search/?q=integracia")
    assert response.context["total"] == 0
    status = find(parse(response), ".//main//p[@role='status']")
    assert text(status) == lv_plural(
        "%(counter)s result for “%(query)s”.",
        "%(counter)s results for “%(query)s”.",
        0,
        counter=0,
        query="integracia",
    )
    advice = search_help(response)
    assert text(by_id(advice, "search-help-title")) == lv("What to try")
    tips = [text(li) for li in advice.findall("ul[1]/li")]
    assert tips[0] == lv(
        "Check the spelling. Letters with or without diacritics both work: “bērni” and “berni” "
        "find the same."
    )
    assert tips[1] == lv(
        "Type only the beginning of a word: “integr” finds both “integration” and “integrated”."
    )
    assert lv(FEWER_WORDS) not in tips  # one word: nothing to leave out
    assert "/lv/glossary/" in hrefs(advice)
    # A glossary term that looks like the search, as a search of its own.
    suggestion = find(advice, ".//a[@href='/lv/search/?q=Integr%C4%81cija']")
    assert text(suggestion) == "Integrācija"
    for number in range(1, 7):  # and every key area to browse
        assert f"/lv/key-areas/{number}/" in hrefs(advice)


def test_several_words_that_find_nothing_suggest_fewer_words(client):
    advice = search_help(client.get("/en/search/?q=refugee+zeppelin"))
    assert FEWER_WORDS in [text(li) for li in advice.findall("ul/li")]


def test_a_search_with_results_gives_no_advice(client):
    response = client.get("/lv/search/?q=bēgļi")
    assert response.context["total"] > 0 and search_help(response) is None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("integracia", "Integrācija"),  # misspelt, without diacritics
        ("beglis", "Bēglis"),
        ("migrantiem", "Migranti"),  # another form of the word
        ("xyzzy", None),
    ],
)
def test_suggestions_are_glossary_terms_that_look_like_the_search(query, expected):
    terms = [term.term_lv for term in search_suggestions(query)]
    if expected is None:
        assert terms == []
    else:
        assert expected in terms


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_an_empty_result_costs_the_same_queries_whatever_the_glossary_size(client):
    client.get("/en/search/?q=xyzzy")  # what a process reads once
    before = _queries(client, "/en/search/?q=xyzzy")
    for n in range(15):
        models.GlossaryTerm.objects.create(
            key=f"extra-{n}", term_lv=f"Termins {n}", term_en=f"Term {n}", definition_lv="S"
        )
    client.get("/en/search/?q=xyzzy")  # the key areas are read again once the content changed
    assert _queries(client, "/en/search/?q=xyzzy") == before
