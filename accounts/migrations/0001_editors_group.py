"""The editors' group with exactly the rights listed in accounts.editors.

When a model is added or the editors' rights change, add a migration like this one after the
new model's migration: it sets the group's permissions to the current list again.
"""

from django.db import migrations

from accounts.editors import editors_group_sync


def sync(apps, schema_editor):
    editors_group_sync(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0010_remove_goodpractice_links"),
        ("practices", "0004_practice_revision"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
