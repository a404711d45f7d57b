from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from content.cache import current_key_areas
from core.validators import multi_line, single_line

from .models import FREE_TEXT_MAX_LENGTH, RESULTS_NOTE_MAX_LENGTH, AgeBand, Agreement, Gender

# The scale from disagreeing to agreeing, then "don't know" apart.
SCALE = [
    Agreement.STRONGLY_DISAGREE,
    Agreement.DISAGREE,
    Agreement.NEUTRAL,
    Agreement.AGREE,
    Agreement.STRONGLY_AGREE,
    Agreement.DONT_KNOW,
]
PREFER_NOT_TO_SAY = ("", _("Prefer not to say"))


def field_name(question) -> str:
    return "q_" + question.key.replace(".", "_")


class ResponseForm(forms.Form):
    """One person's answers: every statement optional, at least one answer in all."""

    age_band = forms.ChoiceField(
        label=_("Your age (optional)"),
        choices=[PREFER_NOT_TO_SAY, *AgeBand.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_("Your gender (optional)"),
        choices=[PREFER_NOT_TO_SAY, *Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, statements, open_questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        self.open_questions = open_questions[:1]
        for question in statements:
            self.fields[field_name(question)] = forms.TypedChoiceField(
                label=question.text_in(language),
                choices=[(value.value, value.label) for value in SCALE],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        for question in self.open_questions:
            self.fields["free_text"] = forms.CharField(
                label=question.text_in(language),
                required=False,
                max_length=FREE_TEXT_MAX_LENGTH,
                validators=[multi_line],
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.initial.setdefault("age_band", "")
        self.initial.setdefault("gender", "")

    def statement_fields(self):
        return [self[field_name(q)] for q in self.statements]

    def ratings(self) -> dict:
        return {
            question: self.cleaned_data[field_name(question)]
            for question in self.statements
            if self.cleaned_data.get(field_name(question)) not in (None, "")
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.ratings() and not cleaned.get("free_text", "").strip():
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned


class SurveyTextsForm(forms.Form):
    """What the people who answer read in the coordinator's words: whom to ask, and what
    happens with the answers (entered with the survey, changed on its page)."""

    contact = forms.CharField(
        label=_("Contact for questions (optional)"),
        help_text=_(
            "Shown on the survey as it is written here, e.g. a phone number or an e-mail "
            "address of your organisation. Leave it empty to show none."
        ),
        max_length=200,
        required=False,
        validators=[single_line],
    )
    results_note = forms.CharField(
        label=_("What happens with the answers (optional)"),
        help_text=_(
            "Shown on the thank-you page as it is written here, e.g. when and where you will "
            "discuss the results. Leave it empty to show the standard text in every language "
            "of the survey."
        ),
        max_length=RESULTS_NOTE_MAX_LENGTH,
        required=False,
        validators=[multi_line],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SurveyForm(SurveyTextsForm):
    key_areas = forms.MultipleChoiceField(
        label=_("Key areas to ask about"), widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the survey"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas = current_key_areas()
        self.fields["key_areas"].choices = [(a.key, f"5.{a.number}. {a.title}") for a in areas]
        self.fields["languages"].choices = [
            (code, name) for code, name, _direction in settings.SURVEY_LANGUAGES
        ]
        self.initial.setdefault("key_areas", [a.key for a in areas])
        self.initial.setdefault("languages", [code for code, *_ in settings.SURVEY_LANGUAGES])
