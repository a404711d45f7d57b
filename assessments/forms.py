from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.forms import SignupForm
from accounts.people import display_name
from core.validators import RefusesControlCharacters

from .models import (
    EVIDENCE_TITLE_MAX_LENGTH,
    EVIDENCE_URL_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ActionStatus,
    AnswerValue,
    Organisation,
    Role,
    RoundMode,
    Sharing,
)


class OrganisationForm(RefusesControlCharacters, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("name", "org_type", "city", "country")


class SharingForm(forms.Form):
    sharing = forms.ChoiceField(
        label=_("What your organisation shares"),
        choices=[
            (Sharing.PRIVATE, _("Private: our figures are counted nowhere")),
            (Sharing.POOL, _("Pool: our figures are counted without our name")),
            (Sharing.NETWORK, _("Network: as the pool, and named to our networks")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the sharing levels.")},
    )


class InvitationForm(RefusesControlCharacters, forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PRACTITIONER)


class InvitationSignupForm(SignupForm):
    """The sign-up on an invitation's page, the invited address filled in."""

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, initial={"email": invitation.email}, **kwargs)
        self.invitation = invitation
        self.fields["email"].help_text = _(
            "The address the invitation was sent to. With another address, you first confirm "
            "it from an e-mail, and this invitation is not accepted."
        )

    def for_invited_address(self) -> bool:
        return self.cleaned_data["email"] == self.invitation.email.strip().lower()


class RoleForm(RefusesControlCharacters, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoundForm(RefusesControlCharacters, forms.Form):
    """A new round: its name, way of working, and whether it starts empty or carries over the
    answers of `last_closed` (the organisation's latest closed round, offered only if any)."""

    EMPTY, CARRY_OVER = "empty", "carry_over"

    name = forms.CharField(
        label=_("Name of the round"),
        max_length=120,
        help_text=_("For example “2026 spring”."),
        error_messages={"required": _("Give the round a name.")},
    )
    mode = forms.ChoiceField(
        label=_("Way of working"),
        choices=RoundMode.choices,
        initial=RoundMode.TOGETHER,
        required=False,  # together, as before the choice existed
        widget=forms.RadioSelect,
        help_text=_(
            "Each first, then agree: every member answers on their own, nobody sees the others' "
            "answers until the coordinator opens the comparison, then the team records one "
            "agreed answer per item. Such a round starts without the previous answers."
        ),
    )
    start_from = forms.ChoiceField(
        label=_("Answers to start from"),
        required=False,  # empty
        initial=EMPTY,
        widget=forms.RadioSelect,
    )
    # Set by the "Yes, start anyway" button when another round is still open.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, last_closed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_closed = last_closed
        choices = [(self.EMPTY, _("Start empty"))]
        if last_closed is not None:
            choices.append(
                (
                    self.CARRY_OVER,
                    _(
                        "Carry over the answers of the closed round “%(name)s”: each is marked "
                        "“carried over — please confirm” and counts as answered only once "
                        "someone confirms or changes it"
                    )
                    % {"name": last_closed.name},
                )
            )
        self.fields["start_from"].choices = choices

    def clean_start_from(self):
        return self.cleaned_data["start_from"] or self.EMPTY

    def copy_from(self):
        """The round to carry over answers from, or None (a valid form's choice)."""
        if self.cleaned_data["start_from"] == self.CARRY_OVER:
            return self.last_closed
        return None


class ComparisonOpenForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: everyone will see the individual answers, and nobody can change "
            "their own answers any more."
        )
    )


class AgreeForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Agreed answer"),
        choices=[("", _("No agreed answer yet")), *AnswerValue.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=REASON_MAX_LENGTH, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NoteForm(RefusesControlCharacters, forms.Form):
    text = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActionForm(RefusesControlCharacters, forms.Form):
    title = forms.CharField(
        label=_("What will be done"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        empty_label=_("Not assigned yet"),
        error_messages={"invalid_choice": _("The owner must be a member of the organisation.")},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .order_by("first_name", "email")
        )
        self.fields["owner"].label_from_instance = display_name


class EvidenceForm(RefusesControlCharacters, forms.Form):
    """A link or a file for an item's answer, with its title (the rules: assessments.evidence)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=EVIDENCE_TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the evidence a title.")},
    )
    url = forms.CharField(label=_("Link"), max_length=EVIDENCE_URL_MAX_LENGTH, required=False)
    file = forms.FileField(label=_("or a file"), required=False)

    def clean(self):
        cleaned = super().clean()
        has_url, has_file = bool(cleaned.get("url")), bool(cleaned.get("file"))
        if has_url == has_file and not self.errors:
            raise forms.ValidationError(
                _("Give either a link or a file.")
                if has_url
                else _("Give a link or choose a file."),
                code="link_or_file",
            )
        return cleaned
