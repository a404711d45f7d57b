"""One way to save a versioned record: an answer, a key area's notes, a practice's rating.

Each such record has a `version` (0 while it does not exist), `updated_by` and `updated_at`.
A save names the version its user saw; it is written only if that is still the stored version,
so two people never silently overwrite each other: the later save gets a `Conflict` back, as
data, with what is stored now.

Lock order, the same for every caller: the parent row first (the round or the practice,
`select_for_update` by the caller inside its transaction), then the record (the conditional
UPDATE below takes its row lock). A second save of the same version waits for the first to
commit and then matches nothing.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone


@dataclass
class Conflict:
    """A save based on a stale version: nothing was written; `current` is what is stored."""

    current: models.Model


class Saved(NamedTuple):
    record: models.Model  # as stored now, with `updated_by`
    conflict: Conflict | None  # None when written, or when the stored values already match
    written: bool  # whether this save wrote (a new version)


def versioned_save(
    model: type[models.Model], *, lookup: dict, values: dict, expected_version: int, user
) -> Saved:
    """Write `values` into the `model` record found by `lookup`, unless it changed since
    `expected_version`. Call it inside a transaction holding the parent's row lock.

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
