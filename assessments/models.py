"""Organisations, their members, assessment rounds, answers and notes.

Answers and notes refer to handbook content through foreign keys to records that are never
deleted (only retired), and each carries the content's stable key in exports.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from content.models import ChecklistItem, KeyArea, OrganisationType
from core.validators import single_line
from core.versioned import Versioned

NOTE_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 2_000
REASON_MAX_LENGTH = 2_000
EVIDENCE_TITLE_MAX_LENGTH = 200
EVIDENCE_URL_MAX_LENGTH = 2_000


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PRACTITIONER = "practitioner", _("Practitioner")
    VIEWER = "viewer", _("Viewer")


WRITE_ROLES = {Role.COORDINATOR, Role.PRACTITIONER}


class Sharing(models.TextChoices):
    """What an organisation lets out of itself: its consent, given by a coordinator."""

    PRIVATE = "private", pgettext_lazy("sharing level", "Private")
    POOL = "pool", pgettext_lazy("sharing level", "Pool")
    NETWORK = "network", pgettext_lazy("sharing level", "Network")


SHARED = (Sharing.POOL, Sharing.NETWORK)  # the levels counted in peer figures


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    org_type = models.CharField(
        _("type of organisation"), max_length=32, choices=OrganisationType.choices
    )
    city = models.CharField(_("municipality or city"), max_length=120, validators=[single_line])
    country = CountryField(_("country"), default="LV")
    created_at = models.DateTimeField(default=timezone.now)
    sharing = models.CharField(
        _("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    sharing_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sharing_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:organisation", args=[self.slug])

    @property
    def shares(self) -> bool:
        """Counted (anonymously) in peer figures: any level but private."""
        return self.sharing in SHARED


class Membership(models.Model):
    # PROTECT: an account is deleted through accounts_delete (the last coordinator is refused),
    # never cascaded away by deleting its user row.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def _new_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Invitations whose link still works: not used, revoked, replaced or expired."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


# Why an invitation's link no longer works, as its page and a refused acceptance say it.
INVITATION_ENDED = {
    "used": _("This invitation has already been used."),
    "replaced": _(
        "This invitation was replaced by a newer invitation. Use the link in the latest e-mail."
    ),
    "revoked": _("This invitation was revoked. Ask your coordinator if you still need one."),
    "expired": _("This invitation has expired. Ask your coordinator to send a new one."),
}


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set, with revoked_at, when a newer invitation to the same address replaced this one.
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def ended_reason(self) -> str | None:
        """None while the link works, else a key of INVITATION_ENDED."""
        if self.accepted_at is not None:
            return "used"
        if self.superseded_by_id is not None:
            return "replaced"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return None

    @property
    def ended_message(self) -> str | None:
        reason = self.ended_reason
        return INVITATION_ENDED[reason] if reason else None

    @property
    def is_usable(self) -> bool:
        return self.ended_reason is None


class RoundStatus(models.TextChoices):
    # Contexts: the Latvian adjective agrees with the noun ("kārta" is feminine).
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")


class RoundMode(models.TextChoices):
    TOGETHER = "together", _("Together: one shared answer per item")
    INDIVIDUAL = "individual", _("Each first, then agree")


class Round(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(
        _("way of working"), max_length=12, choices=RoundMode.choices, default=RoundMode.TOGETHER
    )
    # "Each first, then agree": members answer on their own until the coordinator opens the
    # comparison; from then on individual answers are frozen and only agreed answers change.
    comparison_opened_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change to the round's answers, notes, actions or status: pages built
    # from the round are cached under it, so a change shows at once on every server.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:round", args=[self.organisation.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_individual(self) -> bool:
        return self.mode == RoundMode.INDIVIDUAL

    @property
    def collects_individual_answers(self) -> bool:
        """Members answer on their own (an individual round before its comparison opens)."""
        return self.is_individual and self.comparison_opened_at is None

    @property
    def comparison_open(self) -> bool:
        return self.is_individual and self.comparison_opened_at is not None


class RoundEvent(models.Model):
    """The round's history: opened, closed and reopened, by whom and when."""

    class Kind(models.TextChoices):
        STARTED = "started", _("started")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        COMPARISON_OPENED = "compared", _("comparison opened")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.round} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class AnswerValue(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(Versioned):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=10, choices=AnswerValue.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    # Why the team agreed on this answer (rounds of the "each first, then agree" kind).
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    # Copied from the previous closed round when this one started, and neither confirmed nor
    # changed since: shown as "carried over — please confirm", counted as unanswered (its
    # `updated_by` and `updated_at` are still those of the earlier round). Any save clears it.
    carried_over = models.BooleanField(_("carried over, not yet confirmed"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="one_answer_per_item")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"{self.item.key}: {self.value}"


class IndividualAnswer(Versioned):
    """One member's own answer to an item in a round of the "each first, then agree" kind.

    Nobody but its author reads it until the coordinator opens the comparison.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="individual_answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    # PROTECT: a deleted account's answers still count in its closed rounds' comparisons.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    carried_over = False  # not a column: each member's own answer is never carried over
    value = models.CharField(_("answer"), max_length=10, choices=AnswerValue.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "item", "user"], name="one_individual_answer_per_item"
            )
        ]
        verbose_name = _("individual answer")
        verbose_name_plural = _("individual answers")

    def __str__(self):
        return f"{self.item.key} ({self.user_id}): {self.value}"


class Note(Versioned):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notes")
    key_area = models.ForeignKey(KeyArea, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notes"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "key_area"], name="one_note_per_area")
        ]
        verbose_name = _("notes")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"{self.round}: {self.key_area.key}"


class ActionStatus(models.TextChoices):
    # Contexts: the Latvian adjective agrees with the noun ("pasākums" is masculine).
    OPEN = "open", pgettext_lazy("action status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
    DONE = "done", pgettext_lazy("action status", "Done")


class Action(models.Model):
    """A step the organisation plans in order to close a gap (a No or Partly answer)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("what will be done"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != ActionStatus.DONE
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class RoundContent(models.Model):
    """The handbook as a round was answered, kept when the round closes: the texts (both
    languages) of its key areas, success factors, checklists and items, and of the items
    answered in it that had left the handbook (`assessments.snapshots` reads and writes it)."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()

    class Meta:
        verbose_name = _("content of a round")
        verbose_name_plural = _("contents of rounds")

    def __str__(self):
        return f"{self.round_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


def evidence_storage():
    """Where evidence files are kept (the "evidence" entry of STORAGES): never a public URL.

    Code reads and writes through this function, not through the field's storage (which the
    field takes once, when the model is defined), so a changed setting is always followed."""
    return storages["evidence"]


class Evidence(models.Model):
    """A link or a file that supports the answer to an item in a round."""

    class Kind(models.TextChoices):
        LINK = "link", _("link")
        FILE = "file", _("file")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=EVIDENCE_TITLE_MAX_LENGTH, validators=[single_line]
    )
    url = models.URLField(_("link"), max_length=EVIDENCE_URL_MAX_LENGTH, blank=True)
    # Named by the service (organisation id and a random name), never by the uploaded name.
    file = models.FileField(storage=evidence_storage, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)  # bytes, counted in the organisation's quota
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["round", "item"])]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
