from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0009_practicelink_rows_from_json_links"),
    ]

    operations = [
        migrations.RemoveField(model_name="goodpractice", name="links"),
    ]
