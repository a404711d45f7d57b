"""Responses get a random token for their URLs (sequential ids gave the order of arrival away)."""

import secrets

from django.db import migrations, models

import surveys.models


def backfill(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    responses = list(Response.objects.filter(token=None).only("pk"))
    for response in responses:
        response.token = secrets.token_urlsafe(16)
    Response.objects.bulk_update(responses, ["token"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="token",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="token",
            field=models.CharField(
                default=surveys.models.new_token, editable=False, max_length=32, unique=True
            ),
        ),
    ]
