"""Writes of the assessment table and the library submissions, each one a transaction."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.models import Organisation
from content.models import GoodPractice, Indicator, KeyArea, PracticeLink
from core.validators import multi_line
from core.versioned import Conflict, ParentWrite, Saved

from . import scoring, selectors
from .models import (
    DESCRIPTION_MAX_LENGTH,
    EVIDENCE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Practice,
    PracticeSubmission,
    Rating,
    RatingValue,
    SubmissionStatus,
)


def _validate_practice(name: str, description: str):
    if not name.strip():
        raise ValidationError(_("Give the practice a name."))
    if len(name) > NAME_MAX_LENGTH or len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(_("The name or the description is too long."))


@transaction.atomic
def practice_create(
    *, organisation: Organisation, user, name: str, description: str, key_areas
) -> Practice:
    """Create a practice of the organisation, not yet rated."""
    _validate_practice(name, description)
    now = timezone.now()
    practice = Practice.objects.create(
        organisation=organisation,
        name=name.strip(),
        description=description.strip(),
        created_by=user,
        created_at=now,
        updated_by=user,
        updated_at=now,
    )
    practice.key_areas.set(key_areas)
    return practice


@contextmanager
def practice_write(practice: Practice):
    """A write to a practice, as one transaction: the practice's row locked first, so that a
    submission sees all of a rating change or none of it.

    Versioned records (the practice itself, its ratings) are saved with the yielded
    `ParentWrite.save` (the practice is `.parent`), other writes call `.changed()`; if
    anything was written, the practice's revision is bumped once on the way out: its pages
    are kept under it.
    """
    with transaction.atomic():
        write = ParentWrite(Practice.objects.select_for_update().get(pk=practice.pk))
        yield write
        if write.written and not transaction.get_rollback():
            Practice.objects.filter(pk=write.parent.pk).update(
                revision=F("revision") + 1, **write.parent_fields
            )


def practice_update(
    *,
    practice: Practice,
    user,
    name: str,
    description: str,
    key_areas: list[KeyArea],
    expected_version: int,
) -> Saved:
    """Change the name, description and key areas, unless someone did since
    `expected_version`."""
    _validate_practice(name, description)
    with practice_write(practice) as write:
        saved = write.save(
            Practice,
            lookup={"pk": practice.pk},
            values={"name": name.strip(), "description": description.strip()},
            expected_version=expected_version,
            user=user,
        )
        stored_areas = {area.pk for area in saved.record.key_areas.all()}
        if saved.written:
            saved.record.key_areas.set(key_areas)
        elif not saved.conflict and stored_areas != {area.pk for area in key_areas}:
            # The same name and description, but a stale version: the key areas differ.
            saved = Saved(saved.record, Conflict(current=saved.record), False)
    return saved


def _validate_rating(value: str, evidence: str):
    if value not in ("", *RatingValue.values):
        raise ValidationError(_("Choose a rating from 0 to 3, or “not applicable”."))
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ValidationError(
            _("The evidence can be at most %(max)d characters long.") % {"max": EVIDENCE_MAX_LENGTH}
        )
    multi_line(evidence)


def _save_rating(write: ParentWrite, *, indicator, value, evidence, expected_version, user):
    _validate_rating(value, evidence)
    if indicator.retired:
        raise ValidationError(_("This indicator is no longer part of the assessment table."))
    saved = write.save(
        Rating,
        lookup={"practice": write.parent, "indicator": indicator},
        values={"value": value, "evidence": evidence.strip()},
        expected_version=expected_version,
        user=user,
    )
    if saved.written:  # the practice's "last changed" too
        write.changed(updated_by=user, updated_at=saved.record.updated_at)
    return saved


def rating_set(
    *,
    practice: Practice,
    indicator: Indicator,
    value: str,
    evidence: str,
    expected_version: int,
    user,
) -> Saved:
    """Rate one indicator of a practice, unless someone did since `expected_version`.

    Lock order: the practice, then the rating (as in `core.versioned`). Every write to
    a practice locks it first, so a submission sees all of a rating change or none of it.
    """
    _validate_rating(value, evidence)
    with practice_write(practice) as write:
        return _save_rating(
            write,
            indicator=indicator,
            value=value,
            evidence=evidence,
            expected_version=expected_version,
            user=user,
        )


@dataclass
class RatingChange:
    """One indicator's rating as the whole-page form posts it."""

    indicator: Indicator
    value: str
    evidence: str
    expected_version: int


def ratings_set(
    *, practice: Practice, changes: list[RatingChange], user
) -> dict[str, ValidationError | Conflict]:
    """Rate several indicators of a practice at once (the form without JavaScript): all of
    `changes` are saved, or none.

    Changes equal to the stored rating are left out, so "last changed by" stays true. Returns
    what refused each change that could not be saved, by indicator key (a ValidationError or
    a Conflict); when there is any, nothing is saved.
    """
    refused: dict[str, ValidationError | Conflict] = {}
    with practice_write(practice) as write:
        stored = {
            indicator_id: (value, evidence)
            for indicator_id, value, evidence in Rating.objects.filter(
                practice=write.parent
            ).values_list("indicator_id", "value", "evidence")
        }
        for change in changes:
            if stored.get(change.indicator.pk, ("", "")) == (
                change.value,
                change.evidence.strip(),
            ):
                continue
            try:
                saved = _save_rating(
                    write,
                    indicator=change.indicator,
                    value=change.value,
                    evidence=change.evidence,
                    expected_version=change.expected_version,
                    user=user,
                )
            except ValidationError as error:
                refused[change.indicator.key] = error
            else:
                if saved.conflict is not None:
                    refused[change.indicator.key] = saved.conflict
        if refused:
            transaction.set_rollback(True)
    return refused


# --- submissions to the library ---------------------------------------------------------------


def submission_create(*, practice: Practice, user) -> PracticeSubmission:
    """Offer a practice with the verdict "good practice" to the library.

    Refused (ValidationError, nothing written) below the gate, or while an earlier submission
    is waiting or published. A declined practice may be submitted again.
    """
    with practice_write(practice) as write:
        locked = write.parent
        result = selectors.practice_result(locked)
        if result.verdict != scoring.Verdict.GOOD:
            raise ValidationError(
                _(
                    "Only a practice with the verdict “good practice” can be submitted to the "
                    "library. Complete and improve the ratings first."
                )
            )
        existing = PracticeSubmission.objects.select_for_update().filter(practice=locked).first()
        if existing and existing.status != SubmissionStatus.DECLINED:
            raise ValidationError(_("This practice has already been submitted to the library."))
        organisation = locked.organisation
        values = {
            "status": SubmissionStatus.SUBMITTED,
            "title_lv": locked.name,
            "title_en": "",
            "body_lv": locked.description,
            "body_en": "",
            "place": organisation.city,
            "country": organisation.country,
            "actor": organisation.org_type,
            "success_factor": None,  # the editor chooses where the example belongs
            "verdict_at_submission": result.verdict.value,
            "score_at_submission": scoring.as_percent(result.overall.score),
            "submitted_by": user,
            "submitted_at": timezone.now(),
            "editor_note": "",
            "reviewed_by": None,
            "reviewed_at": None,
        }
        write.changed()
        if existing is None:
            return PracticeSubmission.objects.create(practice=locked, **values)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        return existing


def _unique_example_key(title: str) -> str:
    base = slugify(title)[:70].strip("-") or "practice"
    key, n = base, 1
    while GoodPractice.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def submission_publish(*, submission: PracticeSubmission, user) -> GoodPractice:
    """Publish a submission as a good-practice example (an editor's action in the admin)."""
    with practice_write(submission.practice) as write:
        locked = PracticeSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == SubmissionStatus.PUBLISHED:
            raise ValidationError(_("This submission is already published."))
        missing = [
            label
            for label, present in (
                (_("title (Latvian)"), locked.title_lv.strip()),
                (_("text (Latvian)"), locked.body_lv.strip()),
                (_("success factor"), locked.success_factor_id),
                (_("actor"), locked.actor),
            )
            if not present
        ]
        if missing:
            raise ValidationError(
                _("Fill in before publishing: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        factor = locked.success_factor
        order = (
            GoodPractice.objects.filter(key_area=factor.key_area_id).aggregate(Max("order"))[
                "order__max"
            ]
            or 0
        ) + 1
        fields = {
            "key": _unique_example_key(locked.title_lv),
            "order": order,
            "key_area_id": factor.key_area_id,
            "success_factor": factor,
            "title_lv": locked.title_lv.strip(),
            "title_en": locked.title_en.strip(),
            "body_lv": locked.body_lv.strip(),
            "body_en": locked.body_en.strip(),
            # The organisation's own spelling of its town, in both languages until an editor
            # translates it.
            "place_lv": locked.place.strip(),
            "place_en": locked.place.strip(),
            "country": locked.country,
            "actor": locked.actor,
            "is_published": True,
        }
        # Published submissions are not the handbook's: load_toolkit leaves them alone.
        fields["source"] = "submitted"
        example = GoodPractice.objects.create(**fields)
        PracticeLink.objects.bulk_create(
            PracticeLink(practice=example, order=order, url=url)
            for order, url in enumerate(locked.links or [])
        )
        locked.status = SubmissionStatus.PUBLISHED
        locked.good_practice = example
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.save(update_fields=["status", "good_practice", "reviewed_by", "reviewed_at"])
        write.changed()
        return example


def submission_decline(
    *, submission: PracticeSubmission, user, note: str | None = None
) -> PracticeSubmission:
    """Decline a waiting submission; `note` (if given) is shown to the organisation."""
    with practice_write(submission.practice) as write:
        locked = PracticeSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("Only a submission waiting for review can be declined."))
        locked.status = SubmissionStatus.DECLINED
        if note is not None:
            locked.editor_note = note
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked.save(update_fields=["status", "editor_note", "reviewed_by", "reviewed_at"])
        write.changed()
        return locked
