from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_practicelink_rows_from_json_links"),
    ]

    operations = [
        migrations.RemoveField(model_name="goodpractice", name="links"),
    ]
