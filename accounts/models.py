"""What the toolkit keeps with a person's account beyond Django's user: the language of their
e-mails and which reminders they want (`Profile`), and the reminders already sent to them
(`ReminderSent`, which makes `housekeeping` idempotent)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder is about; each can be turned off on the profile (`Profile.wants`)."""

    ACTIONS = "actions", _("Actions due soon or overdue")
    UNANSWERED = "unanswered", _("Rounds open for a long time with unanswered items")
    COMPARISON = "comparison", _("Comparisons waiting for the team to agree")
    INVITATIONS = "invitations", _("Invitations about to expire")


class Profile(models.Model):
    """Created on first use: a person without one has the defaults (Latvian, every reminder)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    remind_actions = models.BooleanField(ReminderKind.ACTIONS.label, default=True)
    remind_unanswered = models.BooleanField(ReminderKind.UNANSWERED.label, default=True)
    remind_comparison = models.BooleanField(ReminderKind.COMPARISON.label, default=True)
    remind_invitations = models.BooleanField(ReminderKind.INVITATIONS.label, default=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return getattr(self, f"remind_{kind}")

    def turn_off(self, kind: str | None) -> None:
        """Stop reminders of `kind` (None: every kind) and save."""
        kinds = [kind] if kind else ReminderKind.values
        for each in kinds:
            setattr(self, f"remind_{each}", False)
        self.save(update_fields=[f"remind_{each}" for each in kinds])


def profile_of(user) -> Profile:
    """The user's profile, or an unsaved one with the defaults; for users fetched with
    `select_related("profile")` (no query)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def profile_for(user) -> Profile:
    """The user's profile (one query), or an unsaved one with the defaults."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


class ReminderSent(models.Model):
    """One reminder (an action, a round, an invitation: `key`) in the e-mail sent to `user`
    on `sent_on`. A person gets at most one e-mail a day; a reminder is sent again only when
    its rule says so (assessments.reminders)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    key = models.CharField(max_length=100)
    sent_on = models.DateField(default=timezone.localdate)

    class Meta:
        indexes = [
            models.Index(fields=["user", "sent_on"], name="reminder_sent_user_day"),
            models.Index(fields=["key"], name="reminder_sent_key"),
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return f"{self.key} → {self.user} ({self.sent_on})"
