"""Sign-up that tells nobody whether an address has an account.

Every valid sign-up ends on the same "check your e-mail" page. A new address gets an account
that waits, inactive, for its confirmation link; the link asks for the password chosen at
sign-up, so an account made in someone else's name cannot be confirmed by them for whoever
made it, nor by whoever made it without their mailbox. An address that has an account gets an
e-mail saying someone tried, with the ways to log in or reset the password. A sign-up again for
an address still waiting for confirmation starts over (new name, password and link).

An invitation's page signs up too (assessments.views.invitation): its link came by e-mail to
the invited address, so an account for that address is active at once (`register_proven`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import throttle
from core.site import absolute_url

from .forms import PasswordConfirmForm, SignupForm


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else ""


def _waiting(user) -> bool:
    """An account made by a sign-up and not yet confirmed (never logged in)."""
    return not user.is_active and user.last_login is None


def _register(form) -> tuple:
    """(user, True) for an account waiting for confirmation; (user, False) for an address
    that already has an account of its own."""
    User = get_user_model()
    email = form.cleaned_data["email"]
    existing = User.objects.filter(username__iexact=email).first()
    if existing is not None and not _waiting(existing):
        return existing, False
    if existing is not None:
        existing.first_name = form.cleaned_data["first_name"]
        existing.set_password(form.cleaned_data["password1"])  # the old link stops working
        existing.date_joined = timezone.now()  # the new link's validity counts from now
        existing.save(update_fields=["first_name", "password", "date_joined"])
        return existing, True
    user = form.save(commit=False)
    user.is_active = False
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address signed up at the same moment
        return User.objects.get(username__iexact=email), False
    return user, True


def unconfirmed_signups_delete(now) -> int:
    """Accounts a sign-up made that were never confirmed and whose confirmation link has
    expired (PASSWORD_RESET_TIMEOUT after the sign-up): nobody can use them any more. A former
    member's anonymised row (no address, no password) and anyone with a membership stay."""
    cutoff = now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    User = get_user_model()
    waiting = (
        User.objects.filter(
            is_active=False,
            is_staff=False,
            last_login=None,
            date_joined__lt=cutoff,
            memberships=None,
        )
        .exclude(email="")
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
    _count, by_model = waiting.delete()
    return by_model.get(User._meta.label, 0)


def _send(request, user, template: str, subject: str, context: dict) -> None:
    send_mail(
        subject=subject,
        message=render_to_string(template, context, request=request),
        from_email=None,
        recipient_list=[user.email],
    )


def _confirmation_link(request, user, next_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("signup_confirm", args=[uid, default_token_generator.make_token(user)])
    return absolute_url(path + (f"?{urlencode({'next': next_url})}" if next_url else ""))


def signup_by_email(request, form, next_url: str = ""):
    """The sign-up of a valid form: the confirmation link to a new address (back to
    `next_url` once confirmed), the "someone tried" e-mail to an address with an account, and
    the same "check your e-mail" page for both."""
    user, new = _register(form)
    if new:
        _send(
            request,
            user,
            "registration/email/signup_confirm.txt",
            _("Confirm your account in the refugee inclusion toolkit"),
            {"link": _confirmation_link(request, user, _safe_next(next_url))},
        )
    else:
        _send(
            request,
            user,
            "registration/email/signup_existing.txt",
            _("Your account in the refugee inclusion toolkit"),
            {
                "login": absolute_url(reverse("login")),
                "reset": absolute_url(reverse("password_reset")),
            },
        )
    return redirect("signup_sent")


def register_proven(form):
    """An account for an address proven by a link that came to it by e-mail (an
    invitation's): active at once, without a confirmation e-mail. An account still waiting
    for its confirmation starts over as in a sign-up. None when the address has an account of
    its own, which a sign-up never replaces (whoever holds it logs in)."""
    user, new = _register(form)
    if not new:
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def sign_in(request, user) -> None:
    """Log in an account just confirmed (no password check left to do)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def signup(request):
    if request.user.is_authenticated:
        return redirect("assessments:home")
    form = SignupForm(request.POST or None)
    next_url = _safe_next(request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        # Every attempt counts, valid or not: the form is no oracle to query at leisure.
        if throttle.over_limit(request, "signup", throttle.SIGNUP):
            form.is_valid()
            form.add_error(None, throttle.TOO_MANY)
            return render(
                request, "registration/signup.html", {"form": form, "next": next_url}, status=429
            )
        if form.is_valid():
            return signup_by_email(request, form, next_url)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


def signup_sent(request):
    """The one answer to every sign-up: look in your mailbox."""
    return render(request, "registration/signup_sent.html")


class ConfirmForm(PasswordConfirmForm):
    label = gettext_lazy("Password")
    wrong_password = gettext_lazy("This is not the password you chose when you signed up.")


def _waiting_user(uidb64: str, token: str):
    """The account the link confirms, or None when the link is not (or no longer) valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not _waiting(user):
        return None
    return user if default_token_generator.check_token(user, token) else None


def signup_confirm(request, uidb64, token):
    """The link of the confirmation e-mail: the password chosen at sign-up activates the
    account and logs in (GET only shows the form, so a mail scanner's visit does nothing)."""
    user = _waiting_user(uidb64, token)
    if user is None:
        return render(request, "registration/signup_confirm.html", {"form": None}, status=410)
    form = ConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        user.is_active = True
        user.save(update_fields=["is_active"])
        sign_in(request, user)
        messages.success(request, _("Welcome! Your account is ready."))
        next_url = _safe_next(request.GET.get("next", ""))
        return redirect(next_url or "assessments:organisation_create")
    return render(
        request,
        "registration/signup_confirm.html",
        {"form": form, "email": user.email},
        status=400 if form.errors else 200,
    )
