from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.toolkit_io import ContentError, content_files, load_document, read_documents


class Command(BaseCommand):
    help = (
        "Load the handbook content (content/data/*.yaml, or one exported file) idempotently. "
        "Records are matched by stable key; missing ones are retired, never deleted. "
        "Users, organisations, answers, notes and scores are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="Load this document instead of content/data/")

    def handle(self, *args, file=None, **options):
        try:
            paths = [file] if file else content_files(Path(settings.TOOLKIT_CONTENT_DIR))
            stats = load_document(read_documents(paths))
        except ContentError as exc:
            raise CommandError(f"Content not loaded, nothing changed. {exc}") from exc
        self.stdout.write(
            "Toolkit content loaded: {created} created, {updated} updated, "
            "{retired} retired, {unchanged} unchanged.".format(**stats)
        )
