"""The participant survey of a round: anonymous responses from the people an organisation serves.

Privacy by design: a response holds its ratings, an optional age band and gender and an optional
free text, nothing else. No account, name, e-mail, address, language or time is stored, so no
response can be told apart by when or from where it came.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import Round
from content.models import ParticipantQuestion
from core.validators import multi_line

FREE_TEXT_MAX_LENGTH = 2_000


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    """A round's survey: which key areas it asks about, in which languages, and its link."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="survey")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    key_areas = models.JSONField(_("key areas"), default=list)  # keys, e.g. ["ka1", "ka4"]
    languages = models.JSONField(_("languages"), default=list)  # codes of SURVEY_LANGUAGES
    is_open = models.BooleanField(_("open for responses"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("participant survey")
        verbose_name_plural = _("participant surveys")

    def __str__(self):
        return str(self.round)

    @property
    def accepts_responses(self) -> bool:
        """Open, and its round too: a closed round's survey takes no answers."""
        return self.is_open and self.round.is_open

    def public_path(self, language: str | None = None) -> str:
        return reverse(
            "survey_page",
            kwargs={"survey_lang": language or self.languages[0], "token": self.token},
        )


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    FROM_18 = "18-29", _("18–29")
    FROM_30 = "30-44", _("30–44")
    FROM_45 = "45-64", _("45–64")
    FROM_65 = "65+", _("65 or older")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", pgettext_lazy("gender", "Other")


class Response(models.Model):
    """One person's answers. Blank age band or gender: "prefer not to say"."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The response's id in every URL: random, so that no page gives the order of arrival away.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    free_text = models.TextField(
        _("free text"), max_length=FREE_TEXT_MAX_LENGTH, blank=True, validators=[multi_line]
    )
    # The coordinator hides a free text that names a person; the rest of the response counts.
    free_text_hidden = models.BooleanField(_("free text hidden"), default=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey} · {self.token}"


class Agreement(models.IntegerChoices):
    DONT_KNOW = 0, _("Don't know")
    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    NEUTRAL = 3, _("Neither agree nor disagree")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


class Rating(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    question = models.ForeignKey(ParticipantQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(choices=Agreement.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_rating_per_question")
        ]

    def __str__(self):
        return f"{self.question.key}: {self.value}"
