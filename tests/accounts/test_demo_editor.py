"""The demo editor of `make run`: printed as a login with its authenticator secret, in the
editors' group, with a submitted practice waiting for publication."""

import io
import re
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.editors import EDITORS
from practices.models import PracticeSubmission, SubmissionStatus

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def test_the_demo_editor_signs_in_with_the_printed_password_and_secret():
    output = seed()
    email, password = re.search(r"^login: (\S+) (\S+) - editor$", output, re.M).groups()
    secret = re.search(rf"^totp: {re.escape(email)} ([A-Z2-7]+)$", output, re.M).group(1)
    editor = get_user_model().objects.get(username=email)
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS]
    waiting = PracticeSubmission.objects.filter(status=SubmissionStatus.SUBMITTED)
    assert waiting.count() == 1

    client = Client()
    client.post("/lv/admin/login/", {"username": email, "password": password})
    device = TOTPDevice.objects.get(user=editor)
    token = f"{totp(b32decode(secret), step=30, digits=6):06d}"
    client.post("/lv/admin/login/", {"otp_device": device.persistent_id, "otp_token": token})
    assert client.get("/lv/admin/").status_code == 200

    assert seed() == output  # again: nothing new
    assert waiting.count() == 1 and TOTPDevice.objects.count() == 1


def test_seed_demo_still_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=io.StringIO())
