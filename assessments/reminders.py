"""Reminders by e-mail, sent by `housekeeping` (idempotent, safe to run every hour).

Four kinds (accounts.models.ReminderKind), each of which a person can turn off:
- actions due within ACTIONS_DUE_WITHIN_DAYS, to their owner (once), and overdue ones (weekly
  until done);
- a round open for more than ROUND_OPEN_DAYS with unanswered items, to its coordinators
  (weekly);
- an "each first, then agree" round whose comparison is open, to the members who answer
  (once);
- an invitation expiring within INVITATION_EXPIRES_WITHIN_DAYS, to the coordinator who sent
  it (once).
A person gets at most one e-mail a day, in the language of their profile, gathering everything
due for them. What was sent is recorded (accounts.models.ReminderSent) only once the e-mail
went out: a person whose e-mail failed is tried again on the next run.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Profile, ReminderKind, ReminderSent, profile_of
from accounts.unsubscribe import unsubscribe_url
from core.site import absolute_url

from .models import (
    Action,
    ActionStatus,
    Invitation,
    Membership,
    Organisation,
    Round,
    RoundMode,
    RoundStatus,
)
from .selectors import round_progress

logger = logging.getLogger(__name__)

ACTIONS_DUE_WITHIN_DAYS = 7
ROUND_OPEN_DAYS = 30
INVITATION_EXPIRES_WITHIN_DAYS = 2
WEEKLY = 7

SECTION_TITLES = {
    ReminderKind.ACTIONS: gettext_lazy("Your actions"),
    ReminderKind.UNANSWERED: gettext_lazy("Rounds with unanswered items"),
    ReminderKind.COMPARISON: gettext_lazy("Comparisons waiting for your team to agree"),
    ReminderKind.INVITATIONS: gettext_lazy("Invitations about to expire"),
}


@dataclass
class Reminder:
    """One thing to remind of, before it is addressed to anyone."""

    kind: str  # ReminderKind
    key: str  # recorded in ReminderSent: the same key is not sent again within repeat_days
    repeat_days: int | None  # None: sent once
    organisation: Organisation
    subject: Action | Round | Invitation
    url: tuple[str, list]  # the page it links to: URL name and arguments
    detail: dict = field(default_factory=dict)


def _action_reminders(today: date):
    actions = (
        Action.objects.exclude(status=ActionStatus.DONE)
        .filter(owner__isnull=False, due_date__lte=today + timedelta(days=ACTIONS_DUE_WITHIN_DAYS))
        .select_related("round__organisation")
    )
    for action in actions:
        organisation = action.round.organisation
        overdue = action.due_date < today
        yield Reminder(
            kind=ReminderKind.ACTIONS,
            key=f"action-{action.pk}-{'overdue' if overdue else 'due'}-{action.due_date}",
            repeat_days=WEEKLY if overdue else None,
            organisation=organisation,
            subject=action,
            url=("assessments:action_edit", [organisation.slug, action.pk]),
            detail={"overdue": overdue},
        )


def _unanswered_round_reminders(now: datetime):
    rounds = Round.objects.filter(
        status=RoundStatus.OPEN, created_at__lte=now - timedelta(days=ROUND_OPEN_DAYS)
    ).select_related("organisation")
    for round_ in rounds:
        areas, overall = round_progress(round_)
        if not overall.unanswered:
            continue
        yield Reminder(
            kind=ReminderKind.UNANSWERED,
            key=f"round-{round_.pk}-unanswered",
            repeat_days=WEEKLY,
            organisation=round_.organisation,
            subject=round_,
            url=("assessments:round", [round_.organisation.slug, round_.pk]),
            detail={
                # Members answer on their own: the shared answers come with the comparison.
                "collecting": round_.collects_individual_answers,
                "unanswered": overall.unanswered,
                "total": overall.total,
                "areas": [area.key_area for area in areas if area.result.unanswered],
            },
        )


def _comparison_reminders():
    rounds = Round.objects.filter(
        status=RoundStatus.OPEN, mode=RoundMode.INDIVIDUAL, comparison_opened_at__isnull=False
    ).select_related("organisation")
    for round_ in rounds:
        yield Reminder(
            kind=ReminderKind.COMPARISON,
            key=f"round-{round_.pk}-comparison",
            repeat_days=None,
            organisation=round_.organisation,
            subject=round_,
            url=("assessments:comparison", [round_.organisation.slug, round_.pk]),
        )


def _invitation_reminders(now: datetime):
    invitations = (
        Invitation.objects.pending()
        .filter(
            invited_by__isnull=False,
            expires_at__lte=now + timedelta(days=INVITATION_EXPIRES_WITHIN_DAYS),
        )
        .select_related("organisation")
    )
    for invitation in invitations:
        yield Reminder(
            kind=ReminderKind.INVITATIONS,
            key=f"invitation-{invitation.pk}",
            repeat_days=None,
            organisation=invitation.organisation,
            subject=invitation,
            url=("assessments:members", [invitation.organisation.slug]),
        )


def reminder_recipients(reminder: Reminder, members: list[Membership]) -> list:
    """Who is reminded: of `members` (the organisation's memberships of people who can be
    e-mailed), an action's owner, the coordinator who sent an invitation, the members who
    answer (coordinators and practitioners) of a compared round, the coordinators of a round
    with unanswered items (`reminder.detail["areas"]`: the key areas concerned)."""
    subject = reminder.subject
    if reminder.kind == ReminderKind.ACTIONS:
        return [m.user for m in members if m.user_id == subject.owner_id]
    if reminder.kind == ReminderKind.INVITATIONS:
        return [m.user for m in members if m.is_coordinator and m.user_id == subject.invited_by_id]
    if reminder.kind == ReminderKind.COMPARISON:
        return [m.user for m in members if m.can_write]
    return [m.user for m in members if m.is_coordinator]


def _members_by_organisation(organisation_ids) -> dict[int, list[Membership]]:
    members = (
        Membership.objects.filter(organisation_id__in=organisation_ids, user__is_active=True)
        .exclude(user__email="")
        .select_related("user__profile")
        .order_by("pk")
    )
    by_organisation: dict[int, list[Membership]] = {}
    for membership in members:
        by_organisation.setdefault(membership.organisation_id, []).append(membership)
    return by_organisation


def _due_again(reminder: Reminder, last_sent: date | None, today: date) -> bool:
    if last_sent is None:
        return True
    return reminder.repeat_days is not None and (today - last_sent).days >= reminder.repeat_days


def reminders_due(now: datetime) -> dict:
    """{user: [Reminder, ...]} for everyone who is due an e-mail today: not sent one yet
    today, and with something not yet sent (or due again) of a kind they want."""
    today = timezone.localdate(now)
    candidates = [
        *_action_reminders(today),
        *_unanswered_round_reminders(now),
        *_comparison_reminders(),
        *_invitation_reminders(now),
    ]
    members = _members_by_organisation({r.organisation.pk for r in candidates})
    users, wanted = {}, {}
    for reminder in candidates:
        for user in reminder_recipients(reminder, members.get(reminder.organisation.pk, [])):
            if profile_of(user).wants(reminder.kind):
                users[user.pk] = user
                wanted.setdefault(user.pk, []).append(reminder)
    sent = ReminderSent.objects.filter(user_id__in=wanted)
    sent_today = set(sent.filter(sent_on=today).values_list("user_id", flat=True))
    last_sent = {
        (user_id, key): last
        for user_id, key, last in sent.filter(key__in={r.key for r in candidates})
        .values("user_id", "key")
        .annotate(last=Max("sent_on"))
        .values_list("user_id", "key", "last")
    }
    due = {}
    for user_id, reminders in wanted.items():
        if user_id in sent_today:
            continue
        fresh = [r for r in reminders if _due_again(r, last_sent.get((user_id, r.key)), today)]
        if fresh:
            due[users[user_id]] = fresh
    return due


def _context(user, reminders: list[Reminder]) -> dict:
    """What the e-mail's templates show, in the active language (links carry its prefix)."""
    sections = []
    for kind in ReminderKind.values:
        of_kind = [r for r in reminders if r.kind == kind]
        if not of_kind:
            continue
        of_kind.sort(key=lambda r: (r.organisation.name, r.key))
        sections.append(
            {
                "kind": kind,
                "title": str(SECTION_TITLES[kind]),
                "items": [
                    {"reminder": r, "link": absolute_url(reverse(r.url[0], args=r.url[1]))}
                    for r in of_kind
                ],
                "unsubscribe": unsubscribe_url(user, kind),
            }
        )
    return {
        "sections": sections,
        "organisations": sorted({r.organisation.name for r in reminders}),
        "home": absolute_url(reverse("assessments:home")),
        "settings": absolute_url(reverse("profile")) + "#email-settings",
        "unsubscribe_all": unsubscribe_url(user, None),
    }


def reminder_message(user, language: str, reminders: list[Reminder]) -> EmailMultiAlternatives:
    """The day's e-mail to `user` in `language`: a text and an HTML part."""
    with translation.override(language):
        context = _context(user, reminders)
        organisations = context["organisations"]
        if len(organisations) == 1:
            subject = _("%(organisation)s: reminders from the refugee inclusion toolkit") % {
                "organisation": organisations[0]
            }
        else:
            subject = _("Reminders from the refugee inclusion toolkit")
        text = render_to_string("assessments/email/reminders.txt", context)
        html = render_to_string("assessments/email/reminders.html", context)
    message = EmailMultiAlternatives(
        # One line whatever the name holds: a line break would start another mail header.
        subject=" ".join(subject.split()),
        body=text,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_all']}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _deliver(user, reminders: list[Reminder], today: date) -> bool | None:
    """True when the e-mail went out (and is recorded), False when sending failed, None when
    another run is sending to this person or already did today."""
    with transaction.atomic():
        profile = profile_of(user)
        if profile.pk is None:
            profile, _created = Profile.objects.get_or_create(user=user)
        # Locked while the e-mail goes out: a run at the same moment passes this person by.
        locked = Profile.objects.select_for_update(skip_locked=True).filter(pk=profile.pk)
        if not list(locked.values_list("pk", flat=True)):
            return None
        if ReminderSent.objects.filter(user=user, sent_on=today).exists():
            return None
        message = reminder_message(user, profile.language, reminders)
        try:
            message.send()
        except OSError:  # smtplib's errors are OSErrors: nothing recorded, tried next run
            logger.exception("reminder e-mail to user %s not sent; tried again next run", user.pk)
            return False
        ReminderSent.objects.bulk_create(
            ReminderSent(user=user, kind=r.kind, key=r.key, sent_on=today) for r in reminders
        )
    return True


def reminders_send(now: datetime) -> dict:
    """Send everyone the reminders due (`reminders_due`); {"sent": n, "failed": n}."""
    today = timezone.localdate(now)
    counts = {"sent": 0, "failed": 0}
    for user, reminders in reminders_due(now).items():
        outcome = _deliver(user, reminders, today)
        if outcome is not None:
            counts["sent" if outcome else "failed"] += 1
    return counts
