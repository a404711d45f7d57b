"""Writes that touch the self-assessment: each one a transaction, with its rules spelled out."""

from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.people import has_name, name_key
from content.models import ChecklistItem, KeyArea
from core.validators import refuse_control_characters, single_line
from core.versioned import ParentWrite, Saved

from . import scoring, signals
from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    ActionStatus,
    Answer,
    AnswerValue,
    IndividualAnswer,
    Invitation,
    Membership,
    Note,
    Organisation,
    Role,
    Round,
    RoundEvent,
    RoundMode,
    RoundStatus,
)
from .snapshots import round_content_keep


class RoundClosedError(Exception):
    """The round was closed: nothing in it may change."""


class AnsweringPhaseError(Exception):
    """Not this kind of answer now: a round of the "each first, then agree" kind takes each
    member's own answers until its comparison opens, and only agreed answers after that."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, user, name: str, org_type: str, city: str, country: str) -> Organisation:
    """Create an organisation; its creator becomes its first coordinator.

    Creating one of the same name again (a double submit, two tabs at once) gives back the
    organisation this person already coordinates: their own row is locked while that is
    checked. Two people at once whose names give the same short name get two (the second
    insert is retried with the next free short name)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    existing = Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.COORDINATOR, name__iexact=name.strip()
    ).first()
    if existing is not None:
        return existing
    for attempt in range(5):
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=name.strip(),
                    slug=_unique_slug(name),
                    org_type=org_type,
                    city=city.strip(),
                    country=country,
                )
            break
        except IntegrityError:  # the short name was taken a moment ago
            if attempt == 4:
                raise
    Membership.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    return organisation


def _coordinators_left_after(membership: Membership, *, new_role: str | None) -> int:
    """How many coordinators the organisation keeps once `membership` has `new_role` (None:
    removed). The coordinators' rows are locked first (in one order, so two such changes
    wait for each other instead of deadlocking) and counted after: a concurrent change of
    them is seen, not counted from before it."""
    coordinators = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.COORDINATOR)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    others = sum(1 for pk in coordinators if pk != membership.pk)
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
    """Remove a member, and revoke the invitations to the organisation still pending for their
    address (a removal is not undone by an old link); the last coordinator cannot be removed."""
    if _coordinators_left_after(membership, new_role=None) == 0:
        raise ValidationError(_("An organisation needs at least one coordinator."))
    membership.delete()
    # One UPDATE: it waits for an acceptance under way and then skips what that used.
    Invitation.objects.pending().filter(
        organisation_id=membership.organisation_id, email__iexact=membership.user.email
    ).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by
) -> Invitation:
    """A one-time invitation link for `email`, valid for INVITATION_VALID_DAYS. It replaces
    the invitations to that address still pending: only the newest link works."""
    email = email.strip().lower()
    # One invitation of the organisation at a time: two sent at once cannot both stay pending.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).exclude(
        pk=invitation.pk
    ).update(revoked_at=invitation.created_at, superseded_by=invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """Revoke a pending invitation (a coordinator of its organisation): its link stops
    working. ValidationError saying why when it no longer works anyway."""
    if not Membership.objects.filter(
        organisation_id=invitation.organisation_id, user=user, role=Role.COORDINATOR
    ).exists():
        raise PermissionDenied
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ValidationError(locked.ended_message)
    locked.revoked_at = timezone.now()
    locked.revoked_by = user
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def name_check(user, name: str, *, organisation: Organisation | None = None) -> None:
    """ValidationError when another member of `user`'s organisations (and of `organisation`,
    which they are joining) goes by `name`, whatever its case or spacing: members tell each
    other apart by name. (accounts.people.NAME_CHECKS runs it for the profile page.)"""
    key = name_key(name)
    organisations = Membership.objects.filter(user_id=user.pk).values("organisation")
    taken = (
        Membership.objects.filter(Q(organisation__in=organisations) | Q(organisation=organisation))
        .exclude(user_id=user.pk)
        .select_related("organisation")
        .only("organisation__name", "user__first_name")
        .select_related("user")
    )
    for membership in taken:
        if name_key(membership.user.first_name) == key:
            raise ValidationError(
                _(
                    "Another member of %(organisation)s already goes by this name. Add "
                    "something that tells you apart, such as your surname or your town."
                )
                % {"organisation": membership.organisation.name},
                code="name_taken",
            )


@transaction.atomic
def invitation_accept(*, token: str, user, name: str = "") -> Membership:
    """Accept an invitation once, as the person it was sent to, while its link works (not
    used, revoked, replaced by a newer one or expired: the refusal says which). A `name`
    becomes the member's display name (asked of who joins without one)."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
    if not invitation.is_usable:
        raise ValidationError(invitation.ended_message)
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _(
                "This invitation was sent to another e-mail address. "
                "Log in as %(email)s to accept it."
            )
            % {"email": invitation.email}
        )
    if name or has_name(user):
        name_check(user, name or user.first_name, organisation=invitation.organisation)
    if name:
        user.first_name = name
        user.save(update_fields=["first_name"])
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def round_start(
    *,
    organisation: Organisation,
    name: str,
    user,
    copy_from: Round | None = None,
    mode: str = RoundMode.TOGETHER,
) -> Round:
    """Start a round, empty or carrying over another round's answers and comments.

    Carried-over answers are marked (`Answer.carried_over`) and count as unanswered until
    someone confirms or changes them; they keep who gave them and when. Answers that were
    themselves carried over and never confirmed are not carried again. Starting a round
    closes nothing: the coordinator was asked first when another round was open (the view).

    A round of the "each first, then agree" kind (`mode` individual) starts empty whatever
    `copy_from` says: members answer on their own, unanchored by earlier answers.
    """
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError(_("You can only copy a round of the same organisation."))
    if mode not in RoundMode.values:
        raise ValidationError(_("Choose a valid way of working."))
    if mode == RoundMode.INDIVIDUAL:
        copy_from = None
    # One open round of a name: a double submit, or two coordinators at once, gives back the
    # round just started (the organisation's row is locked while that is checked).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    existing = organisation.rounds.filter(status=RoundStatus.OPEN, name__iexact=name.strip())
    if existing.exists():
        return existing.first()
    new_round = Round.objects.create(
        organisation=organisation,
        name=name.strip(),
        created_by=user,
        copied_from=copy_from,
        mode=mode,
    )
    RoundEvent.objects.create(round=new_round, kind=RoundEvent.Kind.STARTED, user=user)
    if copy_from is not None:
        Answer.objects.bulk_create(
            Answer(
                round=new_round,
                item_id=a.item_id,
                value=a.value,
                comment=a.comment,
                updated_by_id=a.updated_by_id,
                updated_at=a.updated_at,
                version=1,
                carried_over=True,
            )
            for a in copy_from.answers.filter(carried_over=False).exclude(value="", comment="")
        )
    return new_round


class Phase(StrEnum):
    """What a round takes now (`round_write` refuses a write made for another phase)."""

    TOGETHER = "together"  # a round of the "together" kind: the shared answers
    INDIVIDUAL = "individual"  # "each first, then agree" before the comparison: own answers
    AGREEING = "agreeing"  # "each first, then agree" once the comparison is open: agreed ones


def round_phase(round_: Round) -> Phase:
    if not round_.is_individual:
        return Phase.TOGETHER
    return Phase.INDIVIDUAL if round_.collects_individual_answers else Phase.AGREEING


@contextmanager
def round_write(round_: Round, *, open_only=True, phases=None):
    """A write in a round, as one transaction: the round's row locked first, then checked to
    be open (RoundClosedError) and in one of `phases` (AnsweringPhaseError), when asked.

    Every write in a round goes through here, so a close waits for the saves under way and a
    save that started before a close sees it closed. Versioned records are saved with the
    yielded `ParentWrite.save` (the round is `.parent`), other writes call `.changed()`; if
    anything was written, the round's revision is bumped once on the way out, and that of
    the rounds after it, which compare with it: its pages and report are kept under it.
    """
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if open_only and locked.status != RoundStatus.OPEN:
            raise RoundClosedError
        if phases is not None and round_phase(locked) not in phases:
            raise AnsweringPhaseError
        write = ParentWrite(locked)
        yield write
        if write.written and not transaction.get_rollback():
            Round.objects.filter(
                organisation_id=locked.organisation_id, created_at__gte=locked.created_at
            ).update(revision=F("revision") + 1)


def round_close(*, round: Round, user) -> Round:
    """Close a round, keeping the handbook it was answered on (`snapshots`)."""
    with round_write(round, open_only=False) as write:
        locked = write.parent
        if locked.status != RoundStatus.CLOSED:
            locked.status = RoundStatus.CLOSED
            locked.closed_at = timezone.now()
            locked.save(update_fields=["status", "closed_at"])
            round_content_keep(locked)
            RoundEvent.objects.create(round=locked, kind=RoundEvent.Kind.CLOSED, user=user)
            write.changed()
            transaction.on_commit(lambda: signals.round_closed.send(sender=Round, round=locked))
    return locked


def round_reopen(*, round: Round, user) -> Round:
    """Reopen a closed round (coordinators only, checked by the caller); recorded as an event.
    It follows the current handbook again; what it kept is replaced when it closes again."""
    with round_write(round, open_only=False) as write:
        locked = write.parent
        if locked.status == RoundStatus.CLOSED:
            locked.status = RoundStatus.OPEN
            locked.closed_at = None
            locked.save(update_fields=["status", "closed_at"])
            RoundEvent.objects.create(round=locked, kind=RoundEvent.Kind.REOPENED, user=user)
            write.changed()
            transaction.on_commit(lambda: signals.round_reopened.send(sender=Round, round=locked))
    return locked


def _validate_answer(value: str, comment: str) -> None:
    if value not in ("", *AnswerValue.values):
        raise ValidationError(_("Choose Yes, Partly, No or Not applicable."))
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(max)d characters long.") % {"max": COMMENT_MAX_LENGTH}
        )
    refuse_control_characters(comment)


def _validate_note(text: str) -> None:
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Notes can be at most %(max)d characters long.") % {"max": NOTE_MAX_LENGTH}
        )
    refuse_control_characters(text)


def _validate_reason(reason: str) -> None:
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason can be at most %(max)d characters long.") % {"max": REASON_MAX_LENGTH}
        )
    refuse_control_characters(reason)


def _save_answer(write: ParentWrite, *, item, value, comment, expected_version, user, reason=None):
    # Any save, even of the same value, confirms a carried-over answer.
    values = {"value": value, "comment": comment.strip(), "carried_over": False}
    if reason is not None:
        values["reason"] = reason.strip()
    return write.save(
        Answer,
        lookup={"round": write.parent, "item": item},
        values=values,
        expected_version=expected_version,
        user=user,
    )


def _save_individual_answer(write: ParentWrite, *, item, value, comment, expected_version, user):
    return write.save(
        IndividualAnswer,
        lookup={"round": write.parent, "item": item, "user": user},
        values={"value": value, "comment": comment.strip()},
        expected_version=expected_version,
        user=user,
    )


def _save_note(write: ParentWrite, *, key_area, text, expected_version, user):
    return write.save(
        Note,
        lookup={"round": write.parent, "key_area": key_area},
        values={"text": text},
        expected_version=expected_version,
        user=user,
    )


def answer_set(
    *,
    round: Round,
    item: ChecklistItem,
    value: str,
    comment: str,
    expected_version: int,
    user,
    reason: str | None = None,
) -> Saved:
    """Save one item's answer and comment, unless someone saved it since `expected_version`.

    Lock order (as for every versioned record, see `core.versioned`): the round, then
    the answer. RoundClosedError when the round is closed; nothing is written then. In a
    round of the "each first, then agree" kind the shared answer is the agreed one: it is
    written only with a `reason` once the comparison is open (`answer_agree`), otherwise
    AnsweringPhaseError.
    """
    _validate_answer(value, comment)
    phases = (Phase.TOGETHER,) if reason is None else (Phase.TOGETHER, Phase.AGREEING)
    with round_write(round, phases=phases) as write:
        if reason is not None:
            _validate_reason(reason)
        return _save_answer(
            write,
            item=item,
            value=value,
            comment=comment,
            reason=reason,
            expected_version=expected_version,
            user=user,
        )


def individual_answer_set(
    *, round: Round, item: ChecklistItem, value: str, comment: str, expected_version: int, user
) -> Saved:
    """Save `user`'s own answer to an item in a round of the "each first, then agree" kind,
    unless it changed since `expected_version` (the same person in two tabs).

    Lock order: the round, then the answer. Individual answering lasts until the coordinator
    opens the comparison (then AnsweringPhaseError) or closes the round (RoundClosedError).
    Nobody else reads the answer before the comparison opens.
    """
    _validate_answer(value, comment)
    with round_write(round, phases=(Phase.INDIVIDUAL,)) as write:
        return _save_individual_answer(
            write,
            item=item,
            value=value,
            comment=comment,
            expected_version=expected_version,
            user=user,
        )


def comparison_open(*, round: Round, user) -> Round:
    """Open the comparison of an open "each first, then agree" round (coordinators, checked by
    the caller): everyone sees the individual answers from now on, which are frozen, and the
    team records agreed answers. Opening twice changes nothing."""
    with round_write(round, phases=(Phase.INDIVIDUAL, Phase.AGREEING)) as write:
        locked = write.parent
        if locked.comparison_opened_at is None:
            locked.comparison_opened_at = timezone.now()
            locked.save(update_fields=["comparison_opened_at"])
            RoundEvent.objects.create(
                round=locked, kind=RoundEvent.Kind.COMPARISON_OPENED, user=user
            )
            write.changed()
    return locked


def answer_agree(
    *, round: Round, item: ChecklistItem, value: str, reason: str, expected_version: int, user
) -> Saved:
    """Record the team's agreed answer to an item, with the reason for it, in a round whose
    comparison is open; it becomes the round's answer (verdicts, summary, exports).

    A reason is required when the individual answers to the item differ. Lock order and
    conflicts as for `answer_set`.
    """
    with round_write(round, phases=(Phase.AGREEING,)) as write:
        _validate_answer(value, "")
        _validate_reason(reason)
        individual = IndividualAnswer.objects.filter(round=write.parent, item=item).values_list(
            "value", flat=True
        )
        if value and not reason.strip() and scoring.item_dispersion(individual):
            raise ValidationError(
                _("The answers differed: say briefly why the team agreed on this.")
            )
        return _save_answer(
            write,
            item=item,
            value=value,
            comment="",
            reason=reason,
            expected_version=expected_version,
            user=user,
        )


def note_set(*, round: Round, key_area: KeyArea, text: str, expected_version: int, user) -> Saved:
    """Save a key area's notes, unless someone saved them since `expected_version`
    (lock order: the round, then the note)."""
    _validate_note(text)
    with round_write(round) as write:
        return _save_note(
            write, key_area=key_area, text=text, expected_version=expected_version, user=user
        )


@dataclass
class AnswerChange:
    """One item's answer as a whole-page form posted it."""

    item: ChecklistItem
    value: str
    comment: str
    expected_version: int


class AreaNotSaved(Exception):
    """A whole-page save refused: nothing of it was written.

    `errors` maps item keys (or "notes") to a message, `conflicts` item keys (or "notes") to
    the stored record that changed since the page was read.
    """

    def __init__(self, *, errors: dict, conflicts: dict):
        super().__init__("not saved")
        self.errors, self.conflicts = errors, conflicts


def area_save(
    *, round: Round, key_area: KeyArea, answers: list[AnswerChange], note: tuple | None, user
) -> None:
    """Save a key area's page as posted without JavaScript: its changed answers and its notes
    (`note` is `(text, expected_version)`), all or nothing. AreaNotSaved tells what stopped it.
    """
    errors = {}
    for change in answers:
        try:
            _validate_answer(change.value, change.comment)
        except ValidationError as error:
            errors[change.item.key] = error.messages[0]
    if note is not None:
        try:
            _validate_note(note[0])
        except ValidationError as error:
            errors["notes"] = error.messages[0]
    if errors:
        raise AreaNotSaved(errors=errors, conflicts={})
    conflicts = {}
    individual = round.is_individual
    phases = (Phase.INDIVIDUAL if individual else Phase.TOGETHER,) if answers else None
    with round_write(round, phases=phases) as write:
        for change in answers:
            save = _save_individual_answer if individual else _save_answer
            saved = save(
                write,
                item=change.item,
                value=change.value,
                comment=change.comment,
                expected_version=change.expected_version,
                user=user,
            )
            if saved.conflict:
                conflicts[change.item.key] = saved.conflict.current
        if note is not None:
            saved = _save_note(
                write, key_area=key_area, text=note[0], expected_version=note[1], user=user
            )
            if saved.conflict:
                conflicts["notes"] = saved.conflict.current
        if conflicts:
            raise AreaNotSaved(errors={}, conflicts=conflicts)  # rolls back what was written


def _check_owner(organisation: Organisation, owner) -> None:
    if (
        owner is not None
        and not Membership.objects.filter(organisation=organisation, user=owner).exists()
    ):
        raise ValidationError(_("The owner must be a member of the organisation."))


def action_create(
    *, round: Round, item: ChecklistItem, title: str, owner, due_date, user
) -> Action:
    """Plan an action for an item of the round; its owner must be a member."""
    _check_owner(round.organisation, owner)
    with round_write(round, open_only=False) as write:
        # The same action for the same item twice (a double submit) is the one planned.
        same = write.parent.actions.filter(item=item, title__iexact=title.strip()).first()
        if same is not None:
            return same
        if write.parent.actions.count() >= settings.ROUND_MAX_ACTIONS:
            raise ValidationError(
                _(
                    "A round can hold at most %(max)d actions, and this one is full. Mark "
                    "finished actions done and plan the rest in the next round."
                )
                % {"max": settings.ROUND_MAX_ACTIONS},
                code="too_many_actions",
            )
        action = Action.objects.create(
            round=write.parent,
            item=item,
            title=title.strip(),
            owner=owner,
            due_date=due_date,
            created_by=user,
        )
        write.changed()
    return action


def action_update(*, action: Action, title: str, owner, due_date, status: str) -> Action:
    _check_owner(action.round.organisation, owner)
    if status not in ActionStatus.values:
        raise ValidationError(_("Choose a valid status."))
    with round_write(action.round, open_only=False) as write:
        action.title, action.owner, action.due_date, action.status = (
            title.strip(),
            owner,
            due_date,
            status,
        )
        action.updated_at = timezone.now()
        action.save()
        write.changed()
    return action


@transaction.atomic
def organisation_delete(*, organisation: Organisation, confirmation: str) -> None:
    """Delete an organisation and all its rounds, answers, notes, actions, evidence (its files
    leave the storage once the deletion is committed) and invitations.

    The people stay (they may belong to other organisations); only their membership goes.
    """
    from .evidence import organisation_files_delete_on_commit  # it imports round_write

    single_line(confirmation)
    if confirmation.strip() != organisation.name:
        raise ValidationError(_("Type the organisation's name exactly to confirm."))
    organisation_files_delete_on_commit(organisation)
    organisation.delete()
