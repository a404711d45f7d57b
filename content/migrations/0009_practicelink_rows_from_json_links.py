import django.db.models.deletion
from django.db import migrations, models


def links_to_rows(apps, schema_editor):
    """Each address of the JSON list becomes a link row, in the same order, without a title."""
    GoodPractice = apps.get_model("content", "GoodPractice")
    PracticeLink = apps.get_model("content", "PracticeLink")
    PracticeLink.objects.bulk_create(
        PracticeLink(practice=practice, order=order, url=url)
        for practice in GoodPractice.objects.exclude(links=[])
        for order, url in enumerate(practice.links or [])
    )


def rows_to_links(apps, schema_editor):
    GoodPractice = apps.get_model("content", "GoodPractice")
    PracticeLink = apps.get_model("content", "PracticeLink")
    by_practice: dict[int, list[str]] = {}
    for link in PracticeLink.objects.order_by("practice", "order", "pk"):
        by_practice.setdefault(link.practice_id, []).append(link.url)
    for practice in GoodPractice.objects.filter(pk__in=by_practice):
        practice.links = by_practice[practice.pk]
        practice.save(update_fields=["links"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_goodpractice_place_in_both_languages"),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(default=0, verbose_name="order")),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="Shown instead of the address.",
                        max_length=300,
                        verbose_name="title",
                    ),
                ),
                (
                    "title_lv",
                    models.CharField(
                        blank=True,
                        help_text="Shown instead of the address.",
                        max_length=300,
                        null=True,
                        verbose_name="title",
                    ),
                ),
                (
                    "title_en",
                    models.CharField(
                        blank=True,
                        help_text="Shown instead of the address.",
                        max_length=300,
                        null=True,
                        verbose_name="title",
                    ),
                ),
                ("url", models.URLField(max_length=500, verbose_name="address")),
                (
                    "practice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="example_links",
                        to="content.goodpractice",
                    ),
                ),
            ],
            options={
                "verbose_name": "link",
                "verbose_name_plural": "links",
                "ordering": ["practice", "order", "pk"],
            },
        ),
        migrations.RunPython(links_to_rows, rows_to_links),
    ]
