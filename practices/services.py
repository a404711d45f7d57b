"""Writes of the assessment table and the library submissions, each one a transaction."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.models import WRITE_ROLES, Membership, Organisation
from content.models import GoodPractice, Indicator, KeyArea
from toolkit_site.auth import SessionClaim, verified_user_sql

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


@dataclass
class Conflict:
    """A save based on a stale version: nothing was written; `current` is what is stored."""

    current: Rating | Practice


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


def _touch(practice_id: int) -> None:
    """Mark the practice as changed: its cached pages are keyed by its revision."""
    Practice.objects.filter(pk=practice_id).update(revision=F("revision") + 1)


def _locked_practice(practice: Practice) -> Practice:
    # Every write to a practice locks it first, so a submission sees either all of a rating
    # change or none of it.
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def practice_update(
    *,
    practice: Practice,
    user,
    name: str,
    description: str,
    key_areas: list[KeyArea],
    expected_version: int,
) -> tuple[Practice, Conflict | None]:
    """Change the name, description and key areas, unless someone did since
    `expected_version`."""
    _validate_practice(name, description)
    locked = _locked_practice(practice)
    if locked.version != expected_version:
        return locked, Conflict(current=locked)
    locked.name, locked.description = name.strip(), description.strip()
    locked.version += 1
    locked.revision += 1
    locked.updated_by, locked.updated_at = user, timezone.now()
    locked.save(
        update_fields=["name", "description", "version", "revision", "updated_by", "updated_at"]
    )
    locked.key_areas.set(key_areas)
    return locked, None


def _validate_rating(value: str, evidence: str):
    if value not in ("", *RatingValue.values):
        raise ValidationError(_("Choose a rating from 0 to 3, or “not applicable”."))
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ValidationError(
            _("The evidence can be at most %(max)d characters long.") % {"max": EVIDENCE_MAX_LENGTH}
        )


@transaction.atomic
def rating_set(
    *,
    practice: Practice,
    indicator: Indicator,
    value: str,
    evidence: str,
    expected_version: int,
    user,
) -> tuple[Rating, Conflict | None]:
    """Rate one indicator of a practice, unless someone did since `expected_version`.

    The usual save is one conditional UPDATE, which only matches while the stored version is
    still the one the user saw (a concurrent save of the same indicator waits for its row lock
    and then matches nothing). The practice is touched last: that takes its lock until commit,
    so a submission (which locks the practice first) sees all of a rating change or none of it.
    """
    _validate_rating(value, evidence)
    if indicator.retired:
        raise ValidationError(_("This indicator is no longer part of the assessment table."))
    evidence = evidence.strip()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Rating._meta.db_table}" SET value = %s, evidence = %s, '
            "version = version + 1, updated_by_id = %s, updated_at = %s "
            "WHERE practice_id = %s AND indicator_id = %s AND version = %s RETURNING id",
            [
                value,
                evidence,
                user.pk,
                connection.ops.adapt_datetimefield_value(now),
                practice.pk,
                indicator.pk,
                expected_version,
            ],
        )
        updated = cursor.fetchone()
    fields = {"value": value, "evidence": evidence, "updated_by": user, "updated_at": now}
    if updated:
        rating = Rating(
            pk=updated[0],
            practice=practice,
            indicator=indicator,
            version=expected_version + 1,
            **fields,
        )
        rating._state.adding = False
        _touch_rated(practice.pk, user, now)
        return rating, None
    rating = Rating.objects.filter(practice=practice, indicator=indicator).first()
    if rating is None and expected_version == 0:
        rating = Rating(practice=practice, indicator=indicator, version=1, **fields)
        try:
            with transaction.atomic():
                rating.save(force_insert=True)
        except IntegrityError:
            rating = None  # two first saves of the same indicator at once: the other one won
        else:
            _touch_rated(practice.pk, user, now)
            return rating, None
    if rating is None:
        rating = Rating.objects.filter(practice=practice, indicator=indicator).first() or Rating(
            practice=practice, indicator=indicator
        )
    if rating.value == value and rating.evidence == evidence:
        return rating, None  # the same change twice: nothing to tell
    return rating, Conflict(current=rating)


def _touch_rated(practice_id: int, user, when) -> None:
    # Written out: every rating save ends here, and the ORM took longer to compile this
    # statement than PostgreSQL took to run it.
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Practice._meta.db_table}" SET updated_by_id = %s, updated_at = %s, '
            "revision = revision + 1 WHERE id = %s",
            [user.pk, connection.ops.adapt_datetimefield_value(when), practice_id],
        )


_PRACTICES, _RATINGS = Practice._meta.db_table, Rating._meta.db_table
_ORGANISATIONS, _MEMBERSHIPS = Organisation._meta.db_table, Membership._meta.db_table
_USERS = get_user_model()._meta.db_table
_WRITERS = ", ".join(f"'{role}'" for role in sorted(WRITE_ROLES))  # constants of the code
# The rating is changed only for a member who may write, and only from the version they saw;
# the practice is touched after it (the lock order of `rating_set`). The practice's ratings are
# the statement's snapshot, the saved one is put in by the caller.
_RATING_SAVE = f"""
WITH head AS (
    SELECT p.id, m.role, u.email FROM "{_PRACTICES}" p
    JOIN "{_ORGANISATIONS}" o ON o.id = p.organisation_id
    JOIN "{_MEMBERSHIPS}" m ON m.organisation_id = o.id AND m.user_id = %(user)s
    JOIN "{_USERS}" u ON {verified_user_sql("u", "user", "digest")}
    WHERE p.id = %(practice)s AND o.slug = %(slug)s
), saved AS (
    UPDATE "{_RATINGS}" r SET value = %(value)s, evidence = %(evidence)s,
        version = r.version + 1, updated_by_id = %(user)s, updated_at = %(now)s
    WHERE r.practice_id = %(practice)s AND r.indicator_id = %(indicator)s
        AND r.version = %(version)s AND EXISTS (SELECT FROM head WHERE head.role IN ({_WRITERS}))
    RETURNING r.id
), touched AS (
    UPDATE "{_PRACTICES}" p SET updated_by_id = %(user)s, updated_at = %(now)s,
        revision = p.revision + 1
    WHERE p.id = %(practice)s AND EXISTS (SELECT FROM saved)
    RETURNING p.id
)
SELECT head.role, head.email, (SELECT id FROM saved), v.ids, v.values_
FROM head LEFT JOIN LATERAL (
    SELECT array_agg(r.indicator_id) AS ids, array_agg(r.value) AS values_
    FROM "{_RATINGS}" r WHERE r.practice_id = head.id
) v ON true
"""


@dataclass
class RatingSaved:
    """A rating changed by `rating_save`, and the practice's progress with it."""

    rating: Rating
    rated: int  # current indicators rated, once this rating is saved
    total: int  # current indicators
    by_email: str  # the saver's e-mail address, read with the save


def rating_save(
    *, user, org_slug: str, practice_id: int, indicator: Indicator, value, evidence, version
) -> RatingSaved | None:
    """A member's change of a rating, as a request asks it, in one statement on PostgreSQL:
    the membership (Http404 when there is none, PermissionDenied for a viewer), the conditional
    UPDATE, the touch of the practice and its ratings for the response.

    None when that is not the case at hand (another database, a first rating, a conflict): the
    caller then takes `rating_set`, which tells which.
    """
    _validate_rating(value, evidence)
    if connection.vendor != "postgresql" or indicator.retired:
        return None
    saved = _rating_save_in_one_statement(
        user.pk, None, org_slug, practice_id, indicator, value, evidence, version
    )
    if saved is None:
        raise Http404
    return saved or None


def rating_save_claimed(
    *, claim: SessionClaim, org_slug, practice_id, indicator, value, evidence, version
) -> RatingSaved | None:
    """`rating_save` for the user a session claims, before Django has loaded and checked them:
    the statement confirms the claim (see `toolkit_site.auth`) and writes nothing otherwise.
    None whenever the usual way has to decide (as for `rating_save`, and for a claim not
    confirmed, no membership or invalid input); PermissionDenied only for a confirmed user."""
    if connection.vendor != "postgresql" or indicator.retired:
        return None
    try:
        _validate_rating(value, evidence)
    except ValidationError:
        return None
    saved = _rating_save_in_one_statement(
        claim.user_id,
        claim.password_digest,
        org_slug,
        practice_id,
        indicator,
        value,
        evidence,
        version,
    )
    return saved or None


def _rating_save_in_one_statement(
    user_id, digest, org_slug, practice_id, indicator, value, evidence, version
) -> RatingSaved | bool | None:
    """None when no row came back (no such member, or the claim not confirmed); False when
    `rating_set` has to decide (a first rating or a conflict)."""
    evidence = evidence.strip()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _RATING_SAVE,
            {
                "user": user_id,
                "digest": digest,
                "practice": practice_id,
                "slug": org_slug,
                "indicator": indicator.pk,
                "version": version,
                "value": value,
                "evidence": evidence,
                "now": now,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    role, email, saved_id, ids, values = row
    if role not in WRITE_ROLES:
        raise PermissionDenied
    if saved_id is None:
        return False
    stored = dict(zip(ids or (), values or (), strict=True))
    stored[indicator.pk] = value
    rating = Rating(
        pk=saved_id,
        practice_id=practice_id,
        indicator=indicator,
        value=value,
        evidence=evidence,
        version=version + 1,
        updated_by_id=user_id,
        updated_at=now,
    )
    rating._state.adding = False
    return RatingSaved(rating, *selectors.rated_of_stored(stored), email)


# --- submissions to the library ---------------------------------------------------------------


@transaction.atomic
def submission_create(*, practice: Practice, user) -> PracticeSubmission:
    """Offer a practice with the verdict "good practice" to the library.

    Refused (ValidationError, nothing written) below the gate, or while an earlier submission
    is waiting or published. A declined practice may be submitted again.
    """
    locked = _locked_practice(practice)
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
    _touch(locked.pk)
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


@transaction.atomic
def submission_publish(*, submission: PracticeSubmission, user) -> GoodPractice:
    """Publish a submission as a good-practice example (an editor's action in the admin)."""
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
        "place": locked.place,
        "country": locked.country,
        "actor": locked.actor,
        "links": list(locked.links or []),
        "is_published": True,
    }
    # Published submissions are not the handbook's: load_toolkit leaves them alone.
    fields["source"] = "submitted"
    example = GoodPractice.objects.create(**fields)
    locked.status = SubmissionStatus.PUBLISHED
    locked.good_practice = example
    locked.reviewed_by, locked.reviewed_at = user, timezone.now()
    locked.save(update_fields=["status", "good_practice", "reviewed_by", "reviewed_at"])
    _touch(locked.practice_id)
    return example


@transaction.atomic
def submission_decline(
    *, submission: PracticeSubmission, user, note: str | None = None
) -> PracticeSubmission:
    """Decline a waiting submission; `note` (if given) is shown to the organisation."""
    locked = PracticeSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submission waiting for review can be declined."))
    locked.status = SubmissionStatus.DECLINED
    if note is not None:
        locked.editor_note = note
    locked.reviewed_by, locked.reviewed_at = user, timezone.now()
    locked.save(update_fields=["status", "editor_note", "reviewed_by", "reviewed_at"])
    _touch(locked.practice_id)
    return locked
