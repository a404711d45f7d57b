from django.db import migrations, models


def copy_place_to_both_languages(apps, schema_editor):
    GoodPractice = apps.get_model("content", "GoodPractice")
    for practice in GoodPractice.objects.exclude(place=""):
        practice.place_lv = practice.place_en = practice.place
        practice.save(update_fields=["place_lv", "place_en"])


def keep_latvian_place(apps, schema_editor):
    GoodPractice = apps.get_model("content", "GoodPractice")
    for practice in GoodPractice.objects.all():
        practice.place = practice.place_lv or practice.place_en or ""
        practice.save(update_fields=["place"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_checklist_item_preset_is_a_suggestion"),
    ]

    operations = [
        migrations.AddField(
            model_name="goodpractice",
            name="place_lv",
            field=models.CharField(blank=True, max_length=120, null=True, verbose_name="place"),
        ),
        migrations.AddField(
            model_name="goodpractice",
            name="place_en",
            field=models.CharField(blank=True, max_length=120, null=True, verbose_name="place"),
        ),
        migrations.RunPython(copy_place_to_both_languages, keep_latvian_place),
    ]
