"""Search folds diacritics on PostgreSQL (unaccent) and on SQLite (content/sqlite.py)."""

import pytest
from django.db.utils import ConnectionHandler

from content.selectors import search_handbook
from content.sqlite import unaccent
from practices.selectors import library_examples


@pytest.mark.parametrize(
    "text, folded",
    [("bērni", "berni"), ("ĀČĒĢĪĶĻŅŠŪŽ", "ACEGIKLNSUZ"), ("plain", "plain"), (None, None)],
)
def test_unaccent_folds_latvian_letters(text, folded):
    assert unaccent(text) == folded


def test_a_sqlite_connection_gets_the_unaccent_function(django_db_blocker):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    sqlite = handler["default"]
    try:
        with django_db_blocker.unblock(), sqlite.cursor() as cursor:
            cursor.execute("SELECT UNACCENT(%s) LIKE UNACCENT(%s)", ["Bērni un ģimenes", "%berni%"])
            assert cursor.fetchone() == (1,)
    finally:
        sqlite.close()


@pytest.mark.django_db
def test_searching_without_diacritics_finds_the_same_as_with_them():
    folded, exact = search_handbook("berni"), search_handbook("bērni")
    assert sum(map(len, exact.values())) > 0
    assert {k: len(v) for k, v in folded.items()} == {k: len(v) for k, v in exact.items()}
    assert library_examples(query="berni").count() == library_examples(query="bērni").count() > 0
