"""A member's own data: everything the tool holds about them (`own_data_document`), and the
deletion of their account (`account_delete`).

It lives here, above assessments, surveys and practices, because it reads and touches the
records of all three. An account is never cascaded away: its row stays, inactive and
anonymised (no name, e-mail or usable password), so the records it saved keep their figures
and every page and export names it "former member" (`accounts.people.display_name`).
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from accounts.models import Profile, ReminderKind, ReminderSent, profile_for
from accounts.signals import account_deleting, own_data_requested
from assessments.models import (
    Action,
    Answer,
    Evidence,
    IndividualAnswer,
    Invitation,
    Membership,
    Note,
    Role,
    Round,
    RoundEvent,
)
from practices.models import Practice, PracticeSubmission, Rating
from surveys.models import Survey


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _in_round(record) -> dict:
    return {
        "organisation": record.round.organisation.slug,
        "round": record.round_id,
        "round_name": record.round.name,
    }


def _saved(record) -> dict:
    return {"version": record.version, "updated_at": _when(record.updated_at)}


def _email_settings(user) -> dict:
    profile = profile_for(user)
    return {
        "language": profile.language,
        "reminders": {kind: profile.wants(kind) for kind in ReminderKind.values},
    }


def _evidence_added(user) -> list[dict]:
    """The links and files `user` attached to answers (the files themselves are the
    organisation's, downloaded from its pages)."""
    return [
        {
            **_in_round(e),
            "item": e.item.key,
            "kind": e.kind,
            "title": e.title,
            "url": e.url or None,
            "size": e.size if e.is_file else None,
            "added_at": _when(e.added_at),
        }
        for e in Evidence.objects.filter(added_by=user)
        .select_related("round__organisation", "item")
        .order_by("round_id", "pk")
    ]


def own_data_document(user) -> dict:
    """Everything the tool holds about `user`, as plain data: their account, memberships, and
    every record that names them (what they saved last, and when)."""
    rounds = ("round__organisation",)
    answers = Answer.objects.filter(updated_by=user).select_related(*rounds, "item")
    individual = IndividualAnswer.objects.filter(user=user).select_related(*rounds, "item")
    notes = Note.objects.filter(updated_by=user).select_related(*rounds, "key_area")
    actions = Action.objects.filter(Q(owner=user) | Q(created_by=user)).select_related(
        *rounds, "item"
    )
    practices = Practice.objects.filter(Q(updated_by=user) | Q(created_by=user))
    ratings = Rating.objects.filter(updated_by=user).select_related("practice", "indicator")
    document = {
        "profile": {
            "name": user.first_name,
            "email": user.email,
            "username": user.get_username(),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_settings": _email_settings(user),
        "reminders_sent": [
            {"kind": r.kind, "about": r.key, "sent_on": r.sent_on.isoformat()}
            for r in ReminderSent.objects.filter(user=user).order_by("sent_on", "pk")
        ],
        "memberships": [
            {
                "organisation": m.organisation.slug,
                "organisation_name": m.organisation.name,
                "role": m.role,
                "joined_at": _when(m.joined_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "answers": [
            {
                **_in_round(a),
                "item": a.item.key,
                "value": a.value or None,
                "comment": a.comment,
                "reason": a.reason,
                **_saved(a),
            }
            for a in answers.order_by("round_id", "item__key")
        ],
        "individual_answers": [
            {**_in_round(a), "item": a.item.key, "value": a.value or None, "comment": a.comment}
            | _saved(a)
            for a in individual.order_by("round_id", "item__key")
        ],
        "notes": [
            {**_in_round(n), "key_area": n.key_area.key, "text": n.text, **_saved(n)}
            for n in notes.order_by("round_id", "key_area__key")
        ],
        "actions": [
            {
                **_in_round(a),
                "item": a.item.key,
                "title": a.title,
                "owner": a.owner_id == user.pk,
                "created_by_you": a.created_by_id == user.pk,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
                "created_at": _when(a.created_at),
                "updated_at": _when(a.updated_at),
            }
            for a in actions.order_by("round_id", "pk")
        ],
        "evidence_added": _evidence_added(user),
        "round_events": [
            {**_in_round(e), "kind": e.kind, "at": _when(e.at)}
            for e in RoundEvent.objects.filter(user=user).select_related(*rounds)
        ],
        "invitations_sent": [
            {"organisation": i.organisation.slug, "role": i.role, "created_at": _when(i.created_at)}
            for i in Invitation.objects.filter(invited_by=user).select_related("organisation")
        ],
        "practices": [
            {"id": p.pk, "name": p.name, "description": p.description, **_saved(p)}
            for p in practices.order_by("pk")
        ],
        "practice_ratings": [
            {
                "practice": r.practice_id,
                "indicator": r.indicator.key,
                "value": r.value,
                "comment": r.comment,
                **_saved(r),
            }
            for r in ratings.order_by("practice_id", "indicator__key")
        ],
        "practice_submissions": [
            {"practice": s.practice_id, "status": s.status, "submitted_at": _when(s.submitted_at)}
            for s in PracticeSubmission.objects.filter(submitted_by=user).order_by("pk")
        ],
        "surveys_created": [
            {**_in_round(s), "languages": s.languages}
            for s in Survey.objects.filter(created_by=user).select_related(*rounds)
        ],
    }
    # Sections of the apps above this one (networks): each adds what it holds about the person.
    for _receiver, sections in own_data_requested.send(sender=None, user=user):
        document.update(sections or {})
    return document


def sole_coordinator_of(user) -> list[str]:
    """The organisations of which `user` is the only coordinator (their rows locked, so a
    concurrent role change waits)."""
    coordinators = Membership.objects.select_for_update().filter(
        organisation__memberships__user=user, role=Role.COORDINATOR
    )
    by_organisation: dict[int, list] = {}
    for membership in coordinators.select_related("organisation").order_by("pk"):
        by_organisation.setdefault(membership.organisation_id, []).append(membership)
    return [
        members[0].organisation.name
        for members in by_organisation.values()
        if [m.user_id for m in members] == [user.pk]
    ]


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete `user`'s account: refused (ValidationError) while they are the last coordinator
    of an organisation. Their memberships and invitations go; their records stay, attributed
    to "former member"; the row is kept inactive and anonymised, never cascaded."""
    sole = sole_coordinator_of(user)
    if sole:
        raise ValidationError(
            _(
                "You are the only coordinator of %(organisations)s. Make another member "
                "coordinator or delete the organisation first."
            )
            % {"organisations": ", ".join(sole)}
        )
    organisations = list(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    rounds = Round.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(answers__updated_by=user)
        | Q(individual_answers__user=user)
        | Q(notes__updated_by=user)
        | Q(actions__owner=user)
        | Q(events__user=user)
    ).values("organisation_id")
    # Pages and reports are cached under these revisions: they show the new name at once.
    Round.objects.filter(organisation_id__in=rounds).update(revision=F("revision") + 1)
    Practice.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(updated_by=user)
        | Q(created_by=user)
        | Q(ratings__updated_by=user)
        | Q(submission__submitted_by=user)
    ).update(revision=F("revision") + 1)
    account_deleting.send(sender=None, user=user)
    Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)).delete()
    Membership.objects.filter(user=user).delete()
    ReminderSent.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.username = f"former-member-{uuid.uuid4().hex}"
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for device in devices_for_user(user, confirmed=None):  # second factors' secrets
        device.delete()
