"""Writes that touch the self-assessment: each one a transaction, with its rules spelled out."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.cache import checklist_items_of_area
from content.models import ChecklistItem, KeyArea
from toolkit_site.auth import SessionClaim, verified_user_sql

from . import selectors
from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    WRITE_ROLES,
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
    as committed, so a save that lost the race to a close raises and is rolled back. Answer
    saves touch the round first, so that every answer write locks the round before the answer.
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

    The round is touched first: that takes its row lock (waiting for a close under way, then
    seeing it) and orders every answer write the same way, round before answer, as the one
    statement of `answer_save` does. The change itself is a conditional UPDATE, which only
    matches while the stored version is still the one the user saw.
    """
    _validate_answer(value, comment)
    if round.status != RoundStatus.OPEN:
        raise RoundClosedError
    _touch(round, require_open=True)
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
        answer = _saved_answer(updated[0], round, item, value, comment, expected_version, user, now)
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
            return answer, None
    if answer is None:
        answer = Answer.objects.filter(round=round, item=item).first() or Answer(
            round=round, item=item
        )
    if answer.value == value and answer.comment == comment:
        return answer, None  # the same change twice: nothing to tell
    return answer, Conflict(current=answer)


def _saved_answer(pk, round, item, value, comment, expected_version, user, now) -> Answer:
    answer = Answer(
        pk=pk,
        round=round,
        item=item,
        value=value,
        comment=comment,
        version=expected_version + 1,
        updated_by=user,
        updated_at=now,
    )
    answer._state.adding = False
    return answer


@dataclass
class AnswerSaved:
    """The outcome of a member's save of one item."""

    answer: Answer | None  # after the one-statement save, its relations are there as ids only
    conflict: Conflict | None
    org_type: str  # the organisation's type, which decides the items' presets
    # The membership and round as `answer_set` had them; None after the one-statement save,
    # which reads only what its response needs (a caller wanting them reads them).
    membership: Membership | None = None
    round: Round | None = None
    # The key area's current items, and their stored values by item id once saved, when they
    # were read with the save.
    area_items: list[ChecklistItem] | None = None
    area_values: dict[int, str] | None = None
    by_email: str = ""  # the saver's e-mail address, read with the save


def answer_save(
    *, user, org_slug: str, round_id: int, item: ChecklistItem, value, comment, expected_version
) -> AnswerSaved:
    """A member's save of one item, as a request asks it: the membership is checked here
    (Http404 when there is none, PermissionDenied for a viewer), then `answer_set`'s rules.

    On PostgreSQL the usual save (a change of an existing answer) is one statement in its own
    transaction: membership, round lock and touch, the conditional UPDATE, and the key area's
    values for the response. Anything else (a first answer, a conflict) takes `answer_set`.
    """
    _validate_answer(value, comment)
    if connection.vendor == "postgresql":
        saved = _answer_save_in_one_statement(
            user.pk, None, org_slug, round_id, item, value, comment.strip(), expected_version
        )
        if saved is None:
            raise Http404
        if saved.answer is not None:
            return saved
    membership, round_ = selectors.membership_and_round(user, org_slug, round_id)
    if not membership.can_write:
        raise PermissionDenied
    answer, conflict = answer_set(
        round=round_,
        item=item,
        value=value,
        comment=comment,
        expected_version=expected_version,
        user=user,
    )
    return AnswerSaved(
        answer, conflict, round_.organisation.org_type, membership=membership, round=round_
    )


def answer_save_claimed(
    *, claim: SessionClaim, org_slug, round_id, item, value, comment, expected_version
) -> AnswerSaved | None:
    """`answer_save` for the user a session claims, before Django has loaded and checked them:
    the statement confirms the claim (see `toolkit_site.auth`) and writes nothing otherwise.

    None when this is not the usual save of a confirmed member (the claim not confirmed, no
    membership, invalid input, a first answer, a conflict, another database): the caller then
    goes the usual way, which checks and tells. PermissionDenied and RoundClosedError are
    raised only for a confirmed member.
    """
    if connection.vendor != "postgresql":
        return None
    try:
        _validate_answer(value, comment)
    except ValidationError:
        return None
    saved = _answer_save_in_one_statement(
        claim.user_id,
        claim.password_digest,
        org_slug,
        round_id,
        item,
        value,
        comment.strip(),
        expected_version,
    )
    return saved if saved is not None and saved.answer is not None else None


_ROUNDS, _ANSWERS = Round._meta.db_table, Answer._meta.db_table
_ORGANISATIONS, _MEMBERSHIPS = Organisation._meta.db_table, Membership._meta.db_table
_USERS = get_user_model()._meta.db_table
# Round rows are locked first (the `touched` UPDATE, which waits for a close under way and then
# returns the status it left), and the answer is changed only if the round is open: the order
# of `answer_set`. The area's values are the statement's snapshot with the saved one put in.
# Constants of the code, written into the statement.
_WRITERS, _OPEN = ", ".join(f"'{role}'" for role in sorted(WRITE_ROLES)), RoundStatus.OPEN.value
_ANSWER_SAVE = f"""
WITH target AS (
    SELECT r.id, r.organisation_id, r.created_at, m.role, o.org_type, u.email FROM "{_ROUNDS}" r
    JOIN "{_ORGANISATIONS}" o ON o.id = r.organisation_id
    JOIN "{_MEMBERSHIPS}" m ON m.organisation_id = o.id AND m.user_id = %(user)s
    JOIN "{_USERS}" u ON {verified_user_sql("u", "user", "digest")}
    WHERE r.id = %(round)s AND o.slug = %(slug)s
), touched AS (
    UPDATE "{_ROUNDS}" t SET revision = t.revision + 1 FROM target
    WHERE target.role IN ({_WRITERS}) AND t.organisation_id = target.organisation_id
        AND t.created_at >= target.created_at
    RETURNING t.id, t.status
), saved AS (
    UPDATE "{_ANSWERS}" a SET value = %(value)s, comment = %(comment)s,
        version = a.version + 1, updated_by_id = %(user)s, updated_at = %(now)s
    WHERE a.round_id = %(round)s AND a.item_id = %(item)s AND a.version = %(version)s
        AND EXISTS (SELECT FROM touched WHERE touched.id = %(round)s AND touched.status = '{_OPEN}')
    RETURNING a.id
)
SELECT target.role, target.org_type, target.email,
    (SELECT status FROM touched WHERE touched.id = target.id), (SELECT id FROM saved),
    v.item_ids, v.item_values
FROM target LEFT JOIN LATERAL (
    SELECT array_agg(a.item_id) AS item_ids, array_agg(a.value) AS item_values
    FROM "{_ANSWERS}" a WHERE a.round_id = target.id AND a.item_id = ANY(%(area_items)s::bigint[])
) v ON true
"""


# Key areas' item ids as array literals, each kept with the list of items it was made from
# (`checklist_items_of_area` gives a new list once the content changes): psycopg took longer to
# turn a list of ids into an array on each save than PostgreSQL took to read it.
_area_item_arrays: dict[int, tuple[list[ChecklistItem], str]] = {}


def _area_item_array(items: list[ChecklistItem]) -> str:
    """`items` (a key area's, from `checklist_items_of_area`) as an array literal of ids."""
    made = _area_item_arrays.get(id(items))
    if made is None or made[0] is not items:
        if len(_area_item_arrays) > 100:  # lists of earlier content revisions
            _area_item_arrays.clear()
        literal = "{" + ",".join(str(item.pk) for item in items) + "}"
        made = _area_item_arrays[id(items)] = (items, literal)
    return made[1]


def _answer_save_in_one_statement(
    user_id, digest, org_slug, round_id, item, value, comment, version
) -> AnswerSaved | None:
    """None when no row came back (no such member, or the claim not confirmed); an AnswerSaved
    without an answer when `answer_set` has to decide (a first answer or a conflict)."""
    now = timezone.now()
    area_items = checklist_items_of_area(item.checklist.key_area_id)
    with connection.cursor() as cursor:
        cursor.execute(
            _ANSWER_SAVE,
            {
                "user": user_id,
                "digest": digest,
                "round": round_id,
                "slug": org_slug,
                "item": item.pk,
                "version": version,
                "value": value,
                "comment": comment,
                "now": now,
                # The key area's current items, known to the process: one index lookup each.
                "area_items": _area_item_array(area_items),
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    role, org_type, email, status, saved_id, items, values = row
    if role not in WRITE_ROLES:
        raise PermissionDenied
    if status != RoundStatus.OPEN:
        raise RoundClosedError
    if saved_id is None:
        return AnswerSaved(None, None, org_type)  # `answer_set` tells which
    area_values = dict(zip(items or (), values or (), strict=True))
    area_values[item.pk] = value
    # Only what the response shows: the rest of the answer's fields are ids.
    answer = Answer(
        pk=saved_id,
        round_id=round_id,
        item_id=item.pk,
        value=value,
        comment=comment,
        version=version + 1,
        updated_by_id=user_id,
        updated_at=now,
    )
    answer._state.adding = False
    return AnswerSaved(
        answer, None, org_type, area_items=area_items, area_values=area_values, by_email=email
    )


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
