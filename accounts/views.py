"""A person's own account: their name, the language of their e-mails and the reminders they
want, a throttled password reset; the privacy notice (sign-up: signup.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils import translation
from django.utils.translation import gettext as _

from core import throttle

from .forms import EmailSettingsForm, NameForm, PasswordResetForm
from .models import profile_for


def _too_many(request, template, form, context=None):
    """The form again, nothing done, saying why (429)."""
    form.add_error(None, throttle.TOO_MANY)
    return render(request, template, {"form": form, **(context or {})}, status=429)


def password_reset(request):
    """Django's password reset, a few e-mails an hour per client and per address asked for."""
    if request.method == "POST" and throttle.over_limit(
        request, "password_reset", throttle.PASSWORD_RESET
    ):
        form = PasswordResetForm(request.POST)
        return _too_many(request, "registration/password_reset_form.html", form)
    # The e-mailed link starts with SITE_URL, whatever Host the request named.
    view = auth_views.PasswordResetView.as_view(
        form_class=PasswordResetForm, extra_email_context={"site_url": settings.SITE_URL}
    )
    return view(request)


@login_required
def profile(request):
    """The member's own account: their name (as others see it), the language of their e-mails
    and which reminders they get (two forms, each saved by its own button), a way to the
    password."""
    posted = request.POST if request.method == "POST" else None
    settings_posted = posted is not None and f"{EmailSettingsForm.prefix}-language" in posted
    form = NameForm(None if settings_posted else posted, instance=request.user)
    email_form = EmailSettingsForm(
        posted if settings_posted else None, instance=profile_for(request.user)
    )
    if settings_posted and email_form.is_valid():
        email_form.save()
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("profile")
    if posted is not None and not settings_posted and form.is_valid():
        form.save()
        messages.success(request, _("Your name was saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form, "email_form": email_form})


def privacy(request):
    """The privacy notice. Its text is a template per language (`privacy/notice_<lang>.html`)
    that an operator can replace with their own (TEMPLATES_OVERRIDE_DIR)."""
    lang = translation.get_language()
    notice = select_template([f"privacy/notice_{lang}.html", "privacy/notice_en.html"]).template
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": notice.name,
            "operator": settings.PRIVACY_OPERATOR_NAME,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
            "invitation_days": settings.INVITATION_VALID_DAYS,
            "free_text_days": settings.SURVEY_FREE_TEXT_RETENTION_DAYS,
            "minimum": settings.SURVEY_MIN_RESPONSES,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
        },
    )
