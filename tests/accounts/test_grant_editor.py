"""`python manage.py grant_editor <email>` and its --revoke."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.editors import EDITORS
from tests.assessments.conftest import make_user

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("grant_editor", *args, stdout=out)
    return out.getvalue()


def test_grant_gives_staff_status_and_the_editors_group():
    user = make_user("anna@example.lv")
    assert "is an editor" in run("ANNA@example.lv")
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert user.has_perm("content.change_keyarea") and user.has_perm(
        "practices.change_practicesubmission"
    )
    assert not user.has_perm("assessments.view_answer") and not user.has_perm("auth.view_user")
    run("anna@example.lv")  # twice: nothing more
    assert user.groups.count() == 1


def test_revoke_takes_the_group_and_staff_status_away():
    user = make_user("anna@example.lv")
    run("anna@example.lv")
    assert "no longer an editor" in run("anna@example.lv", "--revoke")
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.is_staff and not user.groups.exists()
    assert not user.has_perm("content.change_keyarea")


def test_revoking_a_superuser_keeps_the_staff_status():
    user = get_user_model().objects.create_superuser("ops@example.lv", "ops@example.lv", "x")
    run("ops@example.lv")
    run("ops@example.lv", "--revoke")
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser and not user.groups.exists()


def test_an_unknown_address_is_refused():
    with pytest.raises(CommandError, match="nobody@example.lv"):
        run("nobody@example.lv")


def test_a_grant_restores_a_missing_group_with_its_rights():
    Group.objects.filter(name=EDITORS).delete()  # e.g. restored from a backup made before it
    user = make_user("anna@example.lv")
    run("anna@example.lv")
    assert get_user_model().objects.get(pk=user.pk).has_perm("content.change_glossaryterm")
