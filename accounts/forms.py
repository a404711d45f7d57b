"""The account forms: sign-up, name, login and Django's password forms, all refusing control
characters, and saying in our own words what Django's Latvian says informally ("Ievadi …") or
with the wrong case ("pareizu lietotājvārds"; the password validators are in accounts.passwords).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import get_language_info, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from accounts.people import NAME_MAX_LENGTH, check_name_for, validate_name
from core.validators import RefusesControlCharacters

# Django's own say "vismaz 150 zīmei" in Latvian (its plural forms are in the wrong order).
TOO_LONG = ngettext_lazy(
    "At most %(limit_value)d character, please (this has %(show_value)d).",
    "At most %(limit_value)d characters, please (this has %(show_value)d).",
    "limit_value",
)
PASSWORD_MISMATCH = _("The two passwords are not the same.")
REPEAT_PASSWORD = _("Type the same password again, to check it.")


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
        error_messages={"required": _("Enter your name."), "max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class NewPasswordMixin:
    """The second field of Django's new-password pair, with its hint in our words."""

    repeat_field = "password2"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.repeat_field].help_text = REPEAT_PASSWORD


class SignupForm(NewPasswordMixin, RefusesControlCharacters, UserCreationForm):
    """Sign up with a name and an e-mail address, which is also the login name."""

    error_messages = {**UserCreationForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}
    first_name = name_field()
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=150,
        error_messages={"max_length": TOO_LONG},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

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

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is not right. Capital and small letters count "
            "in the password."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


# Django's account forms, refusing control characters like ours (accounts/urls.py).
class PasswordResetForm(RefusesControlCharacters, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(NewPasswordMixin, RefusesControlCharacters, auth_forms.SetPasswordForm):
    repeat_field = "new_password2"
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": PASSWORD_MISMATCH,
    }


class PasswordChangeForm(NewPasswordMixin, RefusesControlCharacters, auth_forms.PasswordChangeForm):
    repeat_field = "new_password2"
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": _("This is not your current password. Please type it again."),
    }


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
