from django.db import migrations

CREATE = """
CREATE TEXT SEARCH CONFIGURATION toolkit_unaccent (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION toolkit_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS toolkit_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """Full-text search for the library on PostgreSQL: 'simple' (no stemming, so Latvian and
    English are treated alike) with accents removed, so "berni" finds "bērni"."""

    dependencies = [
        ("practices", "0001_initial"),
        ("content", "0002_unaccent"),  # the unaccent extension
    ]
    operations = [migrations.RunPython(create, drop)]
