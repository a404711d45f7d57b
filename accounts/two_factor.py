"""The admin's second factor (django-otp): staff confirm an authenticator app (TOTP) at their
first sign-in, from a QR code, and get one-time backup codes; afterwards each sign-in asks for
a code from the app or a backup code. Members who are not staff never see any of it."""

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.views import LoginView

AUTHENTICATOR = gettext_noop("Authenticator app")  # device names, shown translated
BACKUP_CODES = gettext_noop("Backup codes")
BACKUP_CODE_COUNT = 10


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_create(*, user, key: str | None = None, confirmed: bool = False) -> TOTPDevice:
    """The user's authenticator device (TOTP); `key` (hex) fixes its secret (the demo)."""
    fields = {"name": AUTHENTICATOR, "confirmed": confirmed}
    if key:
        fields["key"] = key
    return TOTPDevice.objects.create(user=user, **fields)


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice) -> list[str]:
    """Confirm the device and give its user new backup codes (returned: shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name=BACKUP_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def secret_of(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps ask for it when typed in (base32)."""
    return b32encode(device.bin_key).decode()


class TokenForm(OTPTokenForm):
    """django-otp's form for the second step, in our languages, the app offered first."""

    otp_error_messages = {
        **OTPTokenForm.otp_error_messages,
        "token_required": _("Enter the code."),
        "invalid_token": _("This code is not right. Enter the code the app shows now."),
        "device_required": _("Choose where the code comes from."),
        "verification_not_allowed": _("Too many wrong codes. Try again in a minute."),
        "n_failed_attempts": ngettext_lazy(
            "%(failure_count)d wrong code: wait a moment before trying again.",
            "%(failure_count)d wrong codes: wait a moment before trying again.",
            "failure_count",
        ),
    }

    def __init__(self, user, request=None, *args, **kwargs):
        super().__init__(user, request, *args, **kwargs)
        self.fields["otp_device"].label = _("Code from")
        self.fields["otp_token"].label = _("Code")
        self.fields["otp_token"].widget.attrs.update(autocomplete="one-time-code", autofocus=True)

    @staticmethod
    def device_choices(user):
        return [(d.persistent_id, gettext(d.name)) for d in devices_for_user(user)]


class ConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("The code the app shows"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _context(request, site, title):
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return {
        **site.each_context(request),
        "title": title,
        "subtitle": None,
        "app_path": request.get_full_path(),
        REDIRECT_FIELD_NAME: next_url or reverse("admin:index", current_app=site.name),
    }


def verify(request, site):
    """The second step of a staff member's sign-in: a code from the app or a backup code."""
    return LoginView.as_view(
        otp_token_form=TokenForm,
        template_name="admin/two_factor_verify.html",
        extra_context=_context(request, site, gettext("Second step: a one-time code")),
    )(request)


@never_cache
@csrf_protect
def setup(request, site):
    """A staff member's first sign-in: the QR code of a new authenticator secret, confirmed by
    a code from the app; then the backup codes, shown this once."""
    user = request.user
    if (
        not (user.is_authenticated and user.is_staff)
        or user.is_verified()
        or has_authenticator(user)
    ):
        return redirect("admin:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or authenticator_create(
        user=user
    )
    context = _context(request, site, gettext("Set up your second factor"))
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _reason = device.verify_is_allowed()  # a pause after each wrong code
        if allowed and device.verify_token(form.cleaned_data["token"].strip()):
            codes = authenticator_confirm(device=device)
            otp_login(request, device)
            return render(request, "admin/two_factor_setup.html", {**context, "codes": codes})
        messages = TokenForm.otp_error_messages
        form.add_error(
            "token", messages["invalid_token"] if allowed else messages["verification_not_allowed"]
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "admin/two_factor_setup.html",
        {
            **context,
            "form": form,
            "qr": qr.svg_data_uri(scale=4),
            "secret": secret_of(device),
        },
    )
