"""The assessment table: an organisation's practices rated on the 34 quality indicators, and
their submissions to the good-practice library.

Ratings refer to indicators through foreign keys to records that are never deleted (only
retired); exports carry the indicator's stable key.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from assessments.models import Organisation
from content.models import Actor, GoodPractice, Indicator, KeyArea, SuccessFactor
from core.validators import single_line
from core.versioned import Versioned

NAME_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2_000
EVIDENCE_MAX_LENGTH = 2_000


class Practice(Versioned):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="practices"
    )
    name = models.CharField(
        _("name of the practice"), max_length=NAME_MAX_LENGTH, validators=[single_line]
    )
    description = models.TextField(
        _("short description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    key_areas = models.ManyToManyField(
        KeyArea, blank=True, related_name="+", verbose_name=_("key areas it concerns")
    )
    # `version` (Versioned) is that of the name, description and key areas.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change to the practice, its ratings or its submission: its pages are
    # cached under it, so a change shows at once on every server.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("practices:practice_detail", args=[self.organisation.slug, self.pk])


class RatingValue(models.TextChoices):
    NOT_IN_PLACE = "0", _("0 – not in place")
    PARTLY = "1", _("1 – partly")
    LARGELY = "2", _("2 – largely")
    FULLY = "3", _("3 – fully")
    NOT_APPLICABLE = "na", _("Not applicable")


class Rating(Versioned):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    # "" is "not rated yet" (a rating cleared again).
    value = models.CharField(_("rating"), max_length=2, choices=RatingValue.choices, blank=True)
    evidence = models.TextField(_("evidence"), max_length=EVIDENCE_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "indicator"], name="one_rating_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=["", *RatingValue.values]),
                name="rating_value_valid",
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self):
        return f"{self.indicator.key}: {self.value or '-'}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    PUBLISHED = "published", _("Published in the library")
    DECLINED = "declined", _("Declined")


class PracticeSubmission(models.Model):
    """A practice offered to the good-practice library; an editor reviews, translates and
    publishes it as a good-practice example (or declines it)."""

    practice = models.OneToOneField(
        Practice, on_delete=models.CASCADE, related_name="submission", verbose_name=_("practice")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    # The example as the editor will publish it, prefilled from the practice.
    title_lv = models.CharField(_("title (Latvian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body_lv = models.TextField(_("text (Latvian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    actor = models.CharField(_("actor"), max_length=32, choices=Actor.choices, blank=True)
    success_factor = models.ForeignKey(
        SuccessFactor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("success factor it illustrates"),
        help_text=_("The example is shown under this success factor and its key area."),
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    # What the scores were when the practice was submitted.
    verdict_at_submission = models.CharField(_("verdict when submitted"), max_length=20)
    score_at_submission = models.DecimalField(
        _("overall score when submitted (%)"), max_digits=5, decimal_places=1
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    editor_note = models.TextField(
        _("message to the organisation"),
        blank=True,
        help_text=_("Shown to the organisation with the status, e.g. why it was declined."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    good_practice = models.OneToOneField(
        GoodPractice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_submission",
        verbose_name=_("published example"),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submitted practice")
        verbose_name_plural = _("submitted practices")

    def __str__(self):
        return self.title_lv or self.title_en or str(self.practice)

    @property
    def missing_english(self) -> bool:
        return not (self.title_en.strip() and self.body_en.strip())
