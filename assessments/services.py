"""Writes that touch the self-assessment: each one a transaction, with its rules spelled out."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models import ChecklistItem, KeyArea

from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Action,
    ActionStatus,
    Answer,
    AnswerValue,
    Invitation,
    Membership,
    Note,
    Organisation,
    Role,
    Round,
    RoundEvent,
    RoundStatus,
)


class RoundClosedError(Exception):
    """The round was closed: nothing in it may change."""


@dataclass
class Conflict:
    """A save based on a stale version: nothing was written; `current` is what is stored."""

    current: Answer | Note


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, user, name: str, org_type: str, city: str, country: str) -> Organisation:
    """Create an organisation; its creator becomes its first coordinator."""
    organisation = Organisation.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        org_type=org_type,
        city=city.strip(),
        country=country,
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    return organisation


def _coordinators_left_after(membership: Membership, *, new_role: str | None) -> int:
    others = (
        Membership.objects.select_for_update()
        .filter(organisation=membership.organisation, role=Role.COORDINATOR)
        .exclude(pk=membership.pk)
        .count()
    )
    return others + (1 if new_role == Role.COORDINATOR else 0)


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; an organisation always keeps at least one coordinator."""
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    if _coordinators_left_after(membership, new_role=role) == 0:
        raise ValidationError(_("An organisation needs at least one coordinator."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member; the last coordinator cannot be removed."""
    if _coordinators_left_after(membership, new_role=None) == 0:
        raise ValidationError(_("An organisation needs at least one coordinator."))
    membership.delete()


def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by
) -> Invitation:
    """A one-time invitation link for `email`, valid for INVITATION_VALID_DAYS."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    return Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Accept an invitation once, before it expires, as the person it was sent to."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. "
                "Log in as %(email)s to accept it."
            )
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def round_start(
    *, organisation: Organisation, name: str, user, copy_from: Round | None = None
) -> Round:
    """Start a round, optionally carrying over another round's answers and comments."""
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError(_("You can only copy a round of the same organisation."))
    new_round = Round.objects.create(
        organisation=organisation, name=name.strip(), created_by=user, copied_from=copy_from
    )
    RoundEvent.objects.create(round=new_round, kind=RoundEvent.Kind.STARTED, user=user)
    if copy_from is not None:
        now = timezone.now()
        Answer.objects.bulk_create(
            Answer(
                round=new_round,
                item_id=a.item_id,
                value=a.value,
                comment=a.comment,
                updated_by=a.updated_by,
                updated_at=now,
            )
            for a in copy_from.answers.all()
        )
    return new_round


def _locked_round(round_: Round) -> Round:
    # Every write in a round locks it first, so a close waits for saves under way and a save
    # that started before the close sees it closed.
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    return locked


def _touch(round_: Round, *, require_open: bool = False) -> None:
    """Mark the round as changed, and the rounds after it, whose pages compare with it.

    With `require_open`, this is also where a save learns whether the round is still open: the
    statement takes the round's row lock (waiting for a close under way) and returns its status
    as committed, so a save that lost the race to a close raises and is rolled back. Saves touch
    the round last, so that lock is held only until their commit.
    """
    rounds = Round._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{rounds}" SET revision = revision + 1 '
            "WHERE organisation_id = %s AND created_at >= %s RETURNING id, status",
            [round_.organisation_id, connection.ops.adapt_datetimefield_value(round_.created_at)],
        )
        statuses = dict(cursor.fetchall())
    if require_open and statuses.get(round_.pk) != RoundStatus.OPEN:
        raise RoundClosedError


@transaction.atomic
def round_close(*, round: Round, user) -> Round:
    locked = _locked_round(round)
    if locked.status != RoundStatus.CLOSED:
        locked.status = RoundStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        RoundEvent.objects.create(round=locked, kind=RoundEvent.Kind.CLOSED, user=user)
        _touch(locked)
    return locked


@transaction.atomic
def round_reopen(*, round: Round, user) -> Round:
    """Reopen a closed round (coordinators only, checked by the caller); recorded as an event."""
    locked = _locked_round(round)
    if locked.status == RoundStatus.CLOSED:
        locked.status = RoundStatus.OPEN
        locked.closed_at = None
        locked.save(update_fields=["status", "closed_at"])
        RoundEvent.objects.create(round=locked, kind=RoundEvent.Kind.REOPENED, user=user)
        _touch(locked)
    return locked


def _validate_answer(value: str, comment: str):
    if value not in ("", *AnswerValue.values):
        raise ValidationError(_("Choose Yes, Partly, No or Not applicable."))
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(max)d characters long.") % {"max": COMMENT_MAX_LENGTH}
        )


@transaction.atomic
def answer_set(
    *, round: Round, item: ChecklistItem, value: str, comment: str, expected_version: int, user
) -> tuple[Answer, Conflict | None]:
    """Save one item's answer and comment, unless someone saved it since `expected_version`.

    The usual save is one conditional UPDATE, which only matches while the stored version is
    still the one the user saw (a concurrent save of the same item waits for its row lock and
    then matches nothing). The round is touched last; see `_touch`.
    """
    _validate_answer(value, comment)
    if round.status != RoundStatus.OPEN:
        raise RoundClosedError
    comment = comment.strip()
    now = timezone.now()
    answers = Answer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{answers}" SET value = %s, comment = %s, version = version + 1, '
            "updated_by_id = %s, updated_at = %s "
            "WHERE round_id = %s AND item_id = %s AND version = %s RETURNING id",
            [
                value,
                comment,
                user.pk,
                connection.ops.adapt_datetimefield_value(now),
                round.pk,
                item.pk,
                expected_version,
            ],
        )
        updated = cursor.fetchone()
    if updated:
        answer = Answer(
            pk=updated[0],
            round=round,
            item=item,
            value=value,
            comment=comment,
            version=expected_version + 1,
            updated_by=user,
            updated_at=now,
        )
        answer._state.adding = False
        _touch(round, require_open=True)
        return answer, None
    answer = Answer.objects.filter(round=round, item=item).first()
    if answer is None and expected_version == 0:
        answer = Answer(
            round=round,
            item=item,
            value=value,
            comment=comment,
            version=1,
            updated_by=user,
            updated_at=now,
        )
        try:
            with transaction.atomic():
                answer.save(force_insert=True)
        except IntegrityError:
            answer = None  # two first saves of the same item at once: the other one won
        else:
            _touch(round, require_open=True)
            return answer, None
    if answer is None:
        answer = Answer.objects.filter(round=round, item=item).first() or Answer(
            round=round, item=item
        )
    if answer.value == value and answer.comment == comment:
        return answer, None  # the same change twice: nothing to tell
    return answer, Conflict(current=answer)


@transaction.atomic
def note_set(
    *, round: Round, key_area: KeyArea, text: str, expected_version: int, user
) -> tuple[Note, Conflict | None]:
    """Save a key area's notes, unless someone saved them since `expected_version`."""
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Notes can be at most %(max)d characters long.") % {"max": NOTE_MAX_LENGTH}
        )
    locked = _locked_round(round)
    if locked.status != RoundStatus.OPEN:
        raise RoundClosedError
    note = Note.objects.select_for_update().filter(round=locked, key_area=key_area).first()
    if note is None:
        note = Note(round=locked, key_area=key_area)
    if expected_version != note.version:
        if note.text == text:
            return note, None
        return note, Conflict(current=note)
    note.text = text
    note.version += 1
    note.updated_by, note.updated_at = user, timezone.now()
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        existing = Note.objects.get(round=locked, key_area=key_area)
        return existing, Conflict(current=existing)
    _touch(locked)
    return note, None


def _check_owner(organisation: Organisation, owner) -> None:
    if (
        owner is not None
        and not Membership.objects.filter(organisation=organisation, user=owner).exists()
    ):
        raise ValidationError(_("The owner must be a member of the organisation."))


@transaction.atomic
def action_create(
    *, round: Round, item: ChecklistItem, title: str, owner, due_date, user
) -> Action:
    """Plan an action for an item of the round; its owner must be a member."""
    _check_owner(round.organisation, owner)
    action = Action.objects.create(
        round=round,
        item=item,
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )
    _touch(round)
    return action


@transaction.atomic
def action_update(*, action: Action, title: str, owner, due_date, status: str) -> Action:
    _check_owner(action.round.organisation, owner)
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a valid status."))
    action.title, action.owner, action.due_date, action.status = (
        title.strip(),
        owner,
        due_date,
        status,
    )
    action.updated_at = timezone.now()
    action.save()
    _touch(action.round)
    return action


@transaction.atomic
def organisation_delete(*, organisation: Organisation, confirmation: str) -> None:
    """Delete an organisation and all its rounds, answers, notes, actions and invitations.

    The people stay (they may belong to other organisations); only their membership goes.
    """
    if confirmation.strip() != organisation.name:
        raise ValidationError(_("Type the organisation's name exactly to confirm."))
    organisation.delete()
