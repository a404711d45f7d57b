"""Backup and restore of the whole database contents through Django's serialisation.

A backup is one JSON document (gzip-compressed when its name ends in .gz):

    {"format": "toolkit-backup", "version": 1, "created_at": "…",
     "migrations": ["assessments.0001_initial", …],
     "objects": [… Django's JSON serialisation, as `dumpdata` writes it …]}

Primary keys are kept, because exports and URLs name rounds and actions by id. Content types
and permissions, which `migrate` recreates with ids of its own, are referred to by natural
key and not stored. Sessions and login-throttling records belong to the running site, not to
its data, and are left out. Evidence files are not in the document (their records name them):
MEDIA_ROOT, or the bucket, is backed up beside it (README, "Backup and restore").
"""

import datetime
import gzip
import json
import os
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from assessments.models import Evidence, evidence_storage

FORMAT = "toolkit-backup"
VERSION = 1
# Recreated by `migrate` (and referred to by natural key), or state of the running site.
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
EXCLUDED_APPS = {"axes"}
GZIP_MAGIC = b"\x1f\x8b"


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why. Nothing changed."""


class DatabaseNotEmpty(BackupError):
    """The database already holds data, which a restore would replace."""

    def __init__(self, contents: dict[str, int]):
        self.contents = contents
        listed = ", ".join(f"{label} {count}" for label, count in contents.items())
        super().__init__(f"The database is not empty: {listed}.")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times keep their microseconds (it rounds to ms)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list:
    """Every model whose rows a backup holds, natural-key targets before their dependants."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_APPS:
            continue
        models = [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in EXCLUDED_MODELS
            and model._meta.managed
            and not model._meta.proxy
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@contextmanager
def _snapshot():
    """Read everything from one snapshot, so that saves made meanwhile cannot split the backup."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def write_backup(stream) -> int:
    """Write the backup document to a text stream; return the number of objects written."""
    written = 0

    def objects():
        nonlocal written
        for model in backup_models():
            for obj in model._base_manager.order_by(model._meta.pk.name).iterator():
                written += 1
                yield obj

    with _snapshot():
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "migrations": applied_migrations(),
        }
        stream.write("{\n")
        for key, value in header.items():
            stream.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
        stream.write('"objects": ')
        serializers.serialize(
            "json", objects(), stream=stream, use_natural_foreign_keys=True, cls=ExactJSONEncoder
        )
        stream.write("\n}\n")
    return written


def write_backup_file(path: Path) -> int:
    """Write the backup to `path` (gzip for .gz); an earlier file there is replaced only when
    the new one is complete."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise BackupError(f"{path}: cannot be written: {exc.strerror}") from exc
    try:
        if path.suffix == ".gz":
            with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as stream:
                written = write_backup(stream)
        else:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                written = write_backup(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def read_backup(path: Path) -> dict:
    """The backup document in `path` (plain or gzip JSON), checked for its shape."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError(f"{path}: cannot be read: {exc.strerror}") from exc
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise BackupError(f"{path}: is not a complete gzip file: {exc}") from exc
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BackupError(f"{path}: is not UTF-8 text (nor gzip): {exc}") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path}: is not valid JSON: {exc}") from exc
    _check_shape(document, path)
    return document


def _check_shape(document, path) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            f"{path}: is not a backup of this site (expected a JSON object with "
            f'"format": "{FORMAT}", as backup_data writes)'
        )
    if document.get("version") != VERSION:
        raise BackupError(
            f"{path}: backup format version {document.get('version')!r} is not supported "
            f"(expected {VERSION})"
        )
    migrations = document.get("migrations")
    if not isinstance(migrations, list) or not all(isinstance(m, str) for m in migrations):
        raise BackupError(f'{path}: "migrations" must be a list of names')
    objects = document.get("objects")
    if not isinstance(objects, list):
        raise BackupError(f'{path}: "objects" must be a list')
    for index, obj in enumerate(objects, start=1):
        if not (
            isinstance(obj, dict)
            and isinstance(obj.get("model"), str)
            and isinstance(obj.get("fields"), dict)
        ):
            raise BackupError(f'{path}: object #{index} needs a "model" name and "fields"')


def database_contents(models=None) -> dict[str, int]:
    """Rows per model (only models that have any) among the models a backup holds."""
    contents = {}
    for model in models if models is not None else backup_models():
        count = model._base_manager.count()
        if count:
            contents[model._meta.label_lower] = count
    return contents


def _check_models(document: dict, models: list) -> None:
    known = {model._meta.label_lower for model in models}
    for index, obj in enumerate(document["objects"], start=1):
        if obj["model"].lower() not in known:
            raise BackupError(
                f"object #{index}: {obj['model']!r} is not a model that a backup of this site "
                "holds (unknown, not installed, or never backed up)"
            )


def _check_migrations(document: dict) -> None:
    applied = set(applied_migrations())
    if not applied:
        raise BackupError("The database has no tables yet: run `python manage.py migrate` first.")
    apps_in_backup = {obj["model"].split(".")[0].lower() for obj in document["objects"]}
    missing = sorted(
        name
        for name in set(document["migrations"]) - applied
        if name.split(".")[0] in apps_in_backup
    )
    if missing:
        shown = ", ".join(missing[:5])
        if len(missing) > 5:
            shown += f" and {len(missing) - 5} more"
        raise BackupError(
            f"The backup was made after migrations that this database lacks ({shown}). "
            "Deploy the code version that made the backup and run `python manage.py migrate`."
        )


def _tables(models: list) -> set[str]:
    """The models' tables with those of their many-to-many fields."""
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    return tables


def _delete_everything(models: list) -> None:
    tables = _tables(models)
    if apps.is_installed("django.contrib.sessions"):
        # Logins must not carry over to whoever the restored ids now belong to.
        tables.add(apps.get_model("sessions", "Session")._meta.db_table)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables whose deferred checks are still pending in this transaction.
        connection.check_constraints()
    statements = connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True)
    connection.ops.execute_sql_flush(statements)


def restore_backup(document: dict, *, replace: bool = False) -> Counter:
    """Load a backup document in one transaction; return the objects restored per model.

    The database must be migrated and empty of data; with `replace`, whatever data it holds is
    deleted first. On any problem nothing changes and `BackupError` names the object at fault.
    """
    models = backup_models()
    _check_models(document, models)
    _check_migrations(document)
    if apps.is_installed("django.contrib.contenttypes"):
        # Natural keys are looked up through this cache; `migrate` may have renumbered them.
        apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    restored: Counter = Counter()
    where = "reading the database"
    try:
        with transaction.atomic():
            present = database_contents(models)
            if present and not replace:
                raise DatabaseNotEmpty(present)
            if present:
                where = "deleting the current data"
                _delete_everything(models)
            # References by id are checked once everything is in; natural keys (users, content
            # types) are looked up as objects arrive, their targets being ordered first.
            with connection.constraint_checks_disabled():
                for index, raw in enumerate(document["objects"], start=1):
                    where = f"object #{index} ({raw['model']} pk={raw.get('pk')!r})"
                    for obj in serializers.deserialize("python", [raw]):
                        obj.save()
                        restored[obj.object._meta.label_lower] += 1
            where = "the integrity check"
            connection.check_constraints(table_names=sorted(_tables(models)))
            # Ids were set explicitly: new rows must continue after the restored ones.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    except (
        DeserializationError,
        FieldDoesNotExist,
        ObjectDoesNotExist,
        ValidationError,
        DatabaseError,
        ValueError,
        TypeError,
    ) as exc:
        raise BackupError(f"problem at {where}: {exc}") from exc
    return restored


def missing_evidence_files() -> list[str]:
    """The evidence files the restored records name that the storage does not hold."""
    storage = evidence_storage()
    names = Evidence.objects.exclude(file="").values_list("file", flat=True)
    return [name for name in names.iterator() if not storage.exists(name)]
