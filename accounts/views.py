"""A person's own account: sign-up, their name, a throttled password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import throttle

from .forms import NameForm, PasswordResetForm, SignupForm


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


def signup(request):
    if request.user.is_authenticated:
        return redirect("assessments:home")
    form = SignupForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        if throttle.over_limit(request, "signup", throttle.SIGNUP):
            return _too_many(request, "registration/signup.html", form, {"next": next_url})
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("assessments:organisation_create")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
def profile(request):
    """The member's own account: their name (as others see it) and a way to the password."""
    form = NameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name was saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})
