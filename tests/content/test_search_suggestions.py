"""A search that finds nothing says what to try and still leads somewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content import models
from content.selectors import search_suggestions

pytestmark = pytest.mark.django_db


def test_an_empty_result_suggests_what_to_try(client):
    html = client.get("/lv/search/?q=integracia").text
    assert "0 rezultāti" in html or "0 rezultātu" in html
    assert "Ko varat mēģināt" in html
    assert "Pārbaudiet pareizrakstību" in html
    assert "Ierakstiet tikai vārda sākumu" in html
    assert 'href="/lv/glossary/">glosārijā</a>' in html
    # A glossary term that looks like the search, as a search of its own.
    assert 'href="/lv/search/?q=Integr%C4%81cija">Integrācija</a>' in html
    for number in range(1, 7):  # and every key area to browse
        assert f'href="/lv/key-areas/{number}/"' in html
    assert "mazāk vārdu" not in html  # one word: nothing to leave out


def test_several_words_that_find_nothing_suggest_fewer_words(client):
    html = client.get("/en/search/?q=refugee+zeppelin").text
    assert "What to try" in html and "Use fewer words" in html


def test_a_search_with_results_gives_no_advice(client):
    html = client.get("/lv/search/?q=bēgļi").text
    assert "Ko varat mēģināt" not in html


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
