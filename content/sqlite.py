"""SQLite, the quick default for trying the app, gets PostgreSQL's UNACCENT function, so that
the searches' `unaccent` lookups fold diacritics there too ("berni" finds "bērni")."""

import unicodedata

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def unaccent(text: str | None) -> str | None:
    """`text` without its diacritics, as PostgreSQL's unaccent dictionary folds Latvian."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@receiver(connection_created, dispatch_uid="content-sqlite-unaccent")
def _add_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, unaccent, deterministic=True)
