"""Versioned records: an answer, an individual answer, a key area's notes, a practice and
its ratings.

Each such record has a `version` (0 while it does not exist), `updated_by` and `updated_at`
(the abstract model `Versioned`). A save names the version its user saw; it is written only
if that is still the stored version, so two people never silently overwrite each other: the
later save gets a `Saved` back with a `Conflict`, as data, holding what is stored now.

Saves happen inside a `ParentWrite`: the parent row (the round, the practice) locked first,
then the record (the conditional UPDATE below takes its row lock), the same order for every
caller; a second save of the same version waits for the first to commit and then matches
nothing. The parent's app bumps the parent's revision once when the write ends, if anything
was written (`assessments.services.round_write`, `practices.services.practice_write`): pages
and PDFs kept under that revision cannot miss a change.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone


class Versioned(models.Model):
    """A record saved only through `ParentWrite.save`: optimistic concurrency on `version`."""

    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Conflict:
    """A save based on a stale version: nothing was written; `current` is what is stored."""

    current: models.Model


@dataclass(frozen=True)
class Saved:
    """What a save of a versioned record did."""

    record: models.Model  # as stored now, with `updated_by`
    conflict: Conflict | None = None  # None when written, or when the stored values match
    written: bool = False  # whether this save wrote (a new version)


class ParentWrite:
    """Writes under one locked parent row, inside its transaction: `save` versioned records,
    `changed()` for any other write; `written` tells the parent's app to bump its revision,
    with the parent's `parent_fields` (its own "last changed") in the same statement."""

    def __init__(self, parent: models.Model):
        self.parent = parent
        self.written = False
        self.parent_fields: dict = {}

    def save(
        self, model: type[Versioned], *, lookup: dict, values: dict, expected_version: int, user
    ) -> Saved:
        saved = _versioned_save(
            model, lookup=lookup, values=values, expected_version=expected_version, user=user
        )
        self.written = self.written or saved.written
        return saved

    def changed(self, **parent_fields) -> None:
        self.written = True
        self.parent_fields.update(parent_fields)


def _versioned_save(
    model: type[Versioned], *, lookup: dict, values: dict, expected_version: int, user
) -> Saved:
    """Write `values` into the `model` record found by `lookup`, unless it changed since
    `expected_version` (0: the record does not exist yet, and this save creates it).

    The same change sent twice is nothing to tell: no conflict, but nothing written either.
    """
    changes = {**values, "updated_by": user, "updated_at": timezone.now()}
    written = model.objects.filter(**lookup, version=expected_version).update(
        **changes, version=F("version") + 1
    )
    if not written and expected_version == 0:
        try:
            with transaction.atomic():  # two first saves at once: the other one may win
                model.objects.create(**lookup, **changes, version=1)
            written = 1
        except IntegrityError:
            pass
    if written:  # what this save wrote, by `user`
        stored = model.objects.filter(**lookup).first()
        stored.updated_by = user
    else:  # someone else's save, or none
        stored = model.objects.select_related("updated_by").filter(**lookup).first()
    if stored is None:  # a version the user cannot have seen: nothing is stored
        stored = model(**lookup)
    if written or all(getattr(stored, name) == value for name, value in values.items()):
        return Saved(stored, None, bool(written))
    return Saved(stored, Conflict(current=stored), False)
