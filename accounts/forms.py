"""The account forms: sign-up, name, login and Django's password forms, all refusing control
characters."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from accounts.people import NAME_MAX_LENGTH, check_name_for, validate_name
from core.validators import RefusesControlCharacters


def name_field() -> forms.CharField:
    """A person's display name, kept in the user's `first_name` (accounts.people)."""
    return forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        validators=[validate_name],
        help_text=_(
            "First name and surname, as your colleagues know you. The members of your "
            "organisations see it beside your answers."
        ),
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class SignupForm(RefusesControlCharacters, UserCreationForm):
    """Sign up with a name and an e-mail address, which is also the login name."""

    first_name = name_field()
    email = forms.EmailField(label=_("E-mail"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("first_name", "email")

    def clean_email(self):
        # Whether the address has an account is not the form's to say (accounts.signup).
        return self.cleaned_data["email"].strip().lower()

    def _post_clean(self):
        # The password validators compare against the login name, which is the e-mail.
        self.instance.username = self.cleaned_data.get("email", "")
        super()._post_clean()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class NameForm(RefusesControlCharacters, forms.ModelForm):
    """The display name alone: the profile page, and joining by invitation without one."""

    first_name = name_field()

    class Meta:
        model = get_user_model()
        fields = ("first_name",)

    def clean_first_name(self):
        name = self.cleaned_data["first_name"]
        check_name_for(self.instance, name)
        return name


class EmailSettingsForm(forms.ModelForm):
    """The language of the person's e-mails and the reminders they want (the profile page)."""

    prefix = "email"

    class Meta:
        model = Profile
        fields = (
            "language",
            "remind_actions",
            "remind_unanswered",
            "remind_comparison",
            "remind_invitations",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name: readable by whoever cannot read the page's.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]


class LoginForm(RefusesControlCharacters, AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


# Django's account forms, refusing control characters like ours (accounts/urls.py).
class PasswordResetForm(RefusesControlCharacters, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(RefusesControlCharacters, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(RefusesControlCharacters, auth_forms.PasswordChangeForm):
    pass


class PasswordConfirmForm(forms.Form):
    """The signed-in (or confirming) person's own password, asked again before a step that
    needs it; `label` and `wrong_password` say what for."""

    label = _("Your password")
    wrong_password = _("The password is not correct.")
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].label = self.label

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(self.wrong_password)
        return password
