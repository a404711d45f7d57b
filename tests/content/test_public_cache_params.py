"""The public-page cache keeps a page once per combination of the parameters it reads: other
query parameters (junk, trackers) neither fill the cache nor are served from it.

Content is changed here with `update()`, which bypasses the signals that bump the content
revision: a page that still shows the old text came from the cache."""

import pytest
from django.test import Client

from content.models import GlossaryTerm, GoodPractice

pytestmark = pytest.mark.django_db

NEW = "Jaunais teksts"


def _rename_glossary_terms():
    GlossaryTerm.objects.update(term_lv=NEW)


def _rename_examples():
    GoodPractice.objects.update(title_lv=NEW)


PAGES = [
    ("/lv/glossary/", "?utm_source=x", _rename_glossary_terms),
    ("/lv/practices/?area=ka1", "&junk=1", _rename_examples),
    ("/lv/practices/?page=2", "&page2=2", _rename_examples),
]


@pytest.mark.parametrize("path, junk, change", PAGES)
def test_a_parameter_the_page_does_not_read_is_neither_stored_nor_served(path, junk, change):
    Client().get(path + junk)
    change()
    assert NEW in Client().get(path + junk).text, "the page with junk parameters was kept"
    assert NEW in Client().get(path).text


@pytest.mark.parametrize("path, junk, change", PAGES)
def test_the_page_with_the_parameters_it_reads_is_kept(path, junk, change):
    Client().get(path)
    change()
    assert NEW not in Client().get(path).text


def test_the_parameters_a_page_reads_are_kept_apart():
    Client().get("/lv/practices/?actor=ngo")
    _rename_examples()
    assert NEW in Client().get("/lv/practices/?actor=municipality").text


@pytest.mark.parametrize(
    "query", ["?area=nonsense", "?page=abc", "?page=999", "?area=ka1&area=ka2", "?q=+kopiena"]
)
def test_a_value_the_library_does_not_use_is_not_kept(query):
    Client().get("/lv/practices/" + query)
    _rename_examples()
    assert NEW in Client().get("/lv/practices/" + query).text


def test_the_library_form_with_its_empty_fields_is_kept():
    query = "?q=&area=ka1&factor=&country=&actor="
    Client().get("/lv/practices/" + query)
    _rename_examples()
    assert NEW not in Client().get("/lv/practices/" + query).text
