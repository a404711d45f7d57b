from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import (
    BackupError,
    DatabaseNotEmpty,
    missing_evidence_files,
    read_backup,
    restore_backup,
)


class Command(BaseCommand):
    """`restore_data PATH [--yes]`: load a backup_data file into an empty (migrated) database.

    All or nothing: one transaction, sequences reset afterwards, and a refusal that names the
    problem (not a backup, a newer schema, a broken object, data already there).
    """

    help = (
        "Restore a backup written by backup_data (JSON, or gzip-compressed JSON) into a migrated, "
        "empty database, in one transaction. A database that already holds data is refused "
        "unless --yes is given, which replaces all of its data with the backup. An invalid file "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the data the database already holds (it is deleted first)",
        )

    def handle(self, *args, path, yes=False, **options):
        try:
            restored = restore_backup(read_backup(path), replace=yes)
        except DatabaseNotEmpty as exc:
            raise CommandError(
                f"{exc} Nothing was restored. Restore into an empty database (after "
                "`python manage.py migrate`), or run again with --yes to delete that data "
                "and replace it with the backup."
            ) from exc
        except BackupError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        total = sum(restored.values())
        details = ", ".join(f"{label} {count}" for label, count in sorted(restored.items()))
        self.stdout.write(f"Restored {total} objects from {path}: {details}.")
        missing = missing_evidence_files()
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            self.stderr.write(
                f"{len(missing)} evidence files are not in the storage ({shown}): restore "
                "MEDIA_ROOT (or the bucket) from the backup taken with this one (README, "
                '"Backup and restore").'
            )
