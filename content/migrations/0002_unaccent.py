from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive search on PostgreSQL ("berni" finds "bērni"); a no-op elsewhere."""

    dependencies = [("content", "0001_initial")]
    operations = [UnaccentExtension()]
