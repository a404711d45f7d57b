"""Signing in to the admin in tests: staff need a second factor (django-otp)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator device, created if it has none."""
    return TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or two_factor.authenticator_create(user=user, confirmed=True)


def code(device: TOTPDevice, *, drift: int = 0) -> str:
    """The code the authenticator app shows now (or `drift` steps away)."""
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{number:0{device.digits}d}"


def log_in_verified(client, user):
    """Sign `user` in as the admin's second step leaves the session: verified by a device."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    return client
