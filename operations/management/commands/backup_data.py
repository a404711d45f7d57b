from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, write_backup, write_backup_file


class _Unterminated:
    """A text stream over the command's stdout that adds no line endings of its own."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text):
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    """`backup_data [--output PATH]`: the whole database contents as one JSON document.

    Read from one snapshot; a file is replaced only once the new backup is complete, and is
    readable by its owner only (it holds password hashes and personal data).
    """

    help = (
        "Back up all of the site's data (handbook content with admin edits, accounts with their "
        "password hashes, organisations, rounds, answers, notes, actions, practices) as one JSON "
        "document, to stdout or to --output (gzip-compressed when the name ends in .gz). "
        "Restore it with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Write here instead of stdout; a name ending in .gz is gzip-compressed",
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            write_backup(_Unterminated(self.stdout))
            return
        try:
            written = write_backup_file(output)
        except (BackupError, OSError) as exc:
            raise CommandError(f"No backup written: {exc}") from exc
        self.stderr.write(f"Backed up {written} objects to {output}")
