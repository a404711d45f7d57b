"""Staff sign in to the admin with a second factor (django-otp): set up at the first sign-in
from a QR code, with one-time backup codes; members who are not staff sign in as before."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.editors import editor_grant
from tests.assessments.conftest import PASSWORD, make_user
from tests.two_factor import authenticator, code

pytestmark = pytest.mark.django_db

ADMIN = "/lv/admin/"
LOGIN = "/lv/admin/login/"
SETUP = "/lv/admin/two-factor/setup/"


@pytest.fixture
def editor():
    user = make_user("redaktore@toolkit.example")
    editor_grant(user=user)
    return user


def password_step(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": ADMIN})
    assert response.status_code == 302 and response.url == ADMIN
    return client


def follow_to_second_step(client):
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    return client.get(response.url)


def test_first_sign_in_sets_up_the_authenticator_with_a_qr_code_and_backup_codes(client, editor):
    password_step(client, editor)
    response = follow_to_second_step(client)
    assert response.status_code == 302 and response.url == f"{SETUP}?next={ADMIN}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text and 'id="totp-secret"' in page.text
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert client.get(ADMIN).status_code == 302  # not yet

    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    assert client.post(SETUP, {"token": code(device)}).context["form"].errors  # a pause
    device.throttle_reset()  # as if the pause had passed

    done = client.post(SETUP, {"token": code(device), "next": ADMIN})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=editor).token_set.count() == 10
    assert client.get(ADMIN).status_code == 200
    # Set up once: nobody with the password alone can replace the app afterwards.
    other = password_step(Client(), editor)
    assert other.get(SETUP).status_code == 302
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_later_sign_ins_ask_for_a_code_from_the_app(client, editor):
    device = authenticator(editor)
    password_step(client, editor)
    form = follow_to_second_step(client)
    assert form.status_code == 200 and "otp_token" in form.context["form"].fields
    assert client.get(reverse("admin:content_keyarea_changelist")).status_code == 302

    wrong = client.post(LOGIN, {"otp_device": device.persistent_id, "otp_token": "12345"})
    assert wrong.status_code == 200 and client.get(ADMIN).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # as if the pause after a wrong code had passed

    response = client.post(
        LOGIN, {"otp_device": device.persistent_id, "otp_token": code(device), "next": ADMIN}
    )
    assert response.status_code == 302 and response.url == ADMIN
    assert client.get(reverse("admin:content_keyarea_changelist")).status_code == 200


def test_a_backup_code_works_once(editor):
    from accounts.two_factor import authenticator_confirm

    codes = authenticator_confirm(device=TOTPDevice.objects.create(user=editor, name="app"))
    backup = StaticDevice.objects.get(user=editor)
    first = password_step(Client(), editor)
    follow_to_second_step(first)
    first.post(LOGIN, {"otp_device": backup.persistent_id, "otp_token": codes[0]})
    assert first.get(ADMIN).status_code == 200

    again = password_step(Client(), editor)
    follow_to_second_step(again)
    again.post(LOGIN, {"otp_device": backup.persistent_id, "otp_token": codes[0]})
    assert again.get(ADMIN).status_code == 302


def test_members_who_are_not_staff_sign_in_with_their_password_alone(client):
    member = make_user("praktike@example.lv")
    response = client.post(reverse("login"), {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("assessments:home")
    assert client.get(reverse("assessments:home")).status_code == 200
    assert not TOTPDevice.objects.exists()
    # … and the admin is not theirs.
    refused = Client().post(LOGIN, {"username": member.username, "password": PASSWORD})
    assert refused.status_code == 200 and refused.context["form"].errors


def test_a_superuser_needs_the_second_factor_too(client, admin_user):
    client.force_login(admin_user)
    assert client.get(ADMIN).status_code == 302
    assert client.get(LOGIN).url.startswith(SETUP)
